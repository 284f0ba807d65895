/// Aggregation operators (`sum by (job) (...)`, `topk`, `count_values`, ...).
extension PromQLEvaluator {
    /// One output group while aggregating.
    private struct Group {
        var labels: PromQLLabels
        var values: [Double] = []
        var elements: [PromQLElement] = []
        var dropName = false
    }

    func evaluateAggregation(_ aggregation: PromQLAggregation, at t: Int64) throws -> [PromQLElement] {
        if let folded = try stepAggregation(aggregation, at: t) { return folded }
        let input = try vector(aggregation.expression, at: t)
        let op = aggregation.op
        var parameter: Double = 0
        var label = ""
        if let expression = aggregation.parameter {
            if op == .countValues {
                label = try string(expression, at: t)
                guard PromQLEvaluator.isValidLabelName(label) else {
                    throw PromQLEvaluationError.execution("invalid label name \(PromQLStringLiteral.quote(label))")
                }
            } else {
                parameter = try scalar(expression, at: t)
            }
        }

        var grouping = groupings.removeValue(forKey: aggregation) ?? PromQLGrouping(aggregation)
        defer { groupings[aggregation] = grouping }

        if op == .countValues {
            // count_values groups by the value as an extra label.
            var counts: [PromQLLabels: Int] = [:]
            var order: [PromQLLabels] = []
            for element in input where !element.isHistogram {
                let labels = grouping.group(of: element.labels).setting(label, to: PromQLNumber.format(element.value))
                if counts[labels] == nil { order.append(labels) }
                counts[labels, default: 0] += 1
            }
            return order.map { PromQLElement(labels: $0, value: Double(counts[$0]!), timestamp: t) }
        }

        // Only sum, avg, count, group and the k-selections read histograms;
        // the others ignore them (topk/bottomk too), as upstream.
        let readsHistograms: Bool = switch op {
        case .sum, .avg, .count, .group, .limitk, .limitRatio: true
        default: false
        }
        let hasHistograms = input.contains(where: \.isHistogram)
        let members = readsHistograms || !hasHistograms ? input : input.filter { !$0.isHistogram }
        let (assignment, groupLabels) = grouping.assign(members) { $0.labels }
        // count and group ignore the values, histograms included; the others fold floats only.
        if PromQLStreamingAggregation.operators.contains(op), op == .count || op == .group || !(hasHistograms && readsHistograms) {
            var fold = PromQLStreamingAggregation(op, groups: groupLabels.count)
            for (element, i) in zip(members, assignment) { fold.add(element.value, group: i, dropName: element.dropName) }
            return fold.elements(groupLabels, at: t)
        }
        var groups = groupLabels.map { Group(labels: $0) }
        for (element, i) in zip(members, assignment) {
            groups[i].values.append(element.value)
            groups[i].elements.append(element)
            if element.dropName { groups[i].dropName = true }
        }

        switch op {
        case .limitRatio:
            if parameter == 0 { return [] }
            if parameter.isNaN { throw PromQLEvaluationError.execution("Ratio value is NaN") }
            let ratio = Swift.min(1, Swift.max(-1, parameter))
            // A stable pseudo-random pick per series: its label hash as a
            // fraction of the hash space, so results do not flap between steps.
            return input.filter { element in
                let offset = Double(PromQLLabelHash.hash(element.labels)) / Double(UInt64.max)
                return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio)
            }
        case .topk, .bottomk, .limitk:
            guard !(parameter < 1) else { return [] }
            if parameter.isNaN { throw PromQLEvaluationError.execution("Parameter value is NaN") }
            // The largest float that still converts to an int64 (upstream's maxInt64).
            guard parameter < 9_223_372_036_854_774_784 else {
                throw PromQLEvaluationError.execution("Scalar value \(PromQLNumber.formatShortest(parameter)) overflows int64")
            }
            let k = Int(parameter)
            return groups.flatMap { group in
                op == .limitk ? Array(group.elements.prefix(k)) : Self.selectK(group.elements, k: k, top: op == .topk)
            }
        default:
            return groups.compactMap { group in
                if (op == .sum || op == .avg) && group.elements.contains(where: \.isHistogram) {
                    return Self.aggregateHistograms(op, group.elements).map {
                        PromQLElement(labels: group.labels, histogram: $0, timestamp: t, dropName: group.dropName)
                    }
                }
                if PromQLStreamingAggregation.operators.contains(op) {
                    // A float group of a sum/avg whose other groups hold histograms.
                    var fold = PromQLStreamingAggregation(op, groups: 1)
                    for element in group.elements { fold.add(element.value, group: 0, dropName: element.dropName) }
                    return fold.elements([group.labels], at: t)[0]
                }
                return PromQLElement(labels: group.labels, value: Self.aggregate(op, group.values, parameter: parameter),
                                     timestamp: t, dropName: group.dropName)
            }
        }
    }

    /// The aggregations that need a group's values together (never empty);
    /// the others fold as members arrive (``PromQLStreamingAggregation``).
    static func aggregate(_ op: PromQLAggregationOperator, _ values: [Double], parameter: Double) -> Double {
        switch op {
        case .stdvar: return variance(values)
        case .stddev: return variance(values).squareRoot()
        case .quantile: return quantile(parameter, values)
        default: return .nan
        }
    }

    /// Population variance with Welford's algorithm, as upstream (an
    /// infinite or NaN first value makes the result NaN).
    static func variance(_ values: [Double]) -> Double {
        var mean = values[0]
        var m2: Double = values[0].isNaN || values[0].isInfinite ? .nan : 0
        var count: Double = 1
        for f in values.dropFirst() {
            count += 1
            let delta = f - mean
            mean += delta / count
            m2 += delta * (f - mean)
        }
        return m2 / count
    }

    /// Upstream's `quantile`: linear interpolation between closest ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { $0.isNaN && !$1.isNaN || $0 < $1 }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = max(0, rank.rounded(.down))
        let upper = min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// topk/bottomk of one group, in result order (largest first for topk).
    /// A NaN loses against any number, as upstream's heap comparison.
    static func selectK(_ elements: [PromQLElement], k: Int, top: Bool) -> [PromQLElement] {
        // `better(a, b)`: a should rank before b.
        func better(_ a: Double, _ b: Double) -> Bool {
            if a.isNaN { return false }
            if b.isNaN { return true }
            return top ? a > b : a < b
        }
        var chosen: [PromQLElement] = []
        for element in elements {
            if chosen.count < k {
                chosen.append(element)
                continue
            }
            // Replace the worst chosen element if this one beats it.
            var worst = 0
            for i in chosen.indices.dropFirst() where better(chosen[worst].value, chosen[i].value) { worst = i }
            if better(element.value, chosen[worst].value) { chosen[worst] = element }
        }
        // Stable sort keeps input order among ties.
        return chosen.enumerated().sorted { a, b in
            if better(a.element.value, b.element.value) { return true }
            if better(b.element.value, a.element.value) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Prometheus 3 accepts any non-empty valid UTF-8 label name. Invalid
    /// bytes from `"\xff"` escapes reach us as U+FFFD after unquoting.
    static func isValidLabelName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains("\u{FFFD}")
    }
}
