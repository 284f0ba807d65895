/// The experimental `info(v, {data label selector})` function: enriches
/// each series with the data labels of the info series (`target_info` by
/// default) that share its identifying labels (`instance`, `job`).
extension PromQLEvaluator {
    private static let identifyingLabels = ["instance", "job"]

    func evaluateInfo(_ args: [PromQLExpression], at t: Int64) throws -> [PromQLElement] {
        let base = try vector(args[0], at: t)
        let nameLabel = PromQLLabelMatcher.metricNameLabel
        var selectorMatchers: [PromQLLabelMatcher] = []
        if args.count > 1 {
            guard case .vectorSelector(let selector) = args[1].unwrappingParentheses else {
                throw PromQLEvaluationError.execution("info(): the second argument must be a label selector")
            }
            selectorMatchers = selector.matchers
        }
        let nameMatchers = args.count > 1 ? selectorMatchers.filter { $0.name == nameLabel }
            : [PromQLLabelMatcher(name: nameLabel, op: .equal, value: "target_info")]
        let effectiveNames = try Self.effectiveInfoNameMatchers(nameMatchers).map(PromQLCompiledMatcher.init)
        // Data-label matchers (the name ones only choose the info metric).
        let dataMatchers = try selectorMatchers.filter { $0.name != nameLabel }.map(PromQLCompiledMatcher.init)
        let dataLabelNames = Set(dataMatchers.map(\.matcher.name))

        // Series that are themselves info metrics pass through unchanged.
        func isInfoSeries(_ labels: PromQLLabels) -> Bool {
            effectiveNames.allSatisfy { $0.matches(labels.metricName ?? "") }
        }
        var idValues: [String: Set<String>] = [:]
        for element in base where !isInfoSeries(element.labels) {
            for label in Self.identifyingLabels {
                if let value = element.labels[label] { idValues[label, default: []].insert(value) }
            }
        }

        // Info samples at this step, keyed by (name, identifying labels);
        // among duplicates the most recent sample wins.
        var infoBySignature: [PromQLLabels: PromQLElement] = [:]
        var infoNames = Set<String>()
        if !idValues.isEmpty {
            var matchers = idValues.keys.sorted().map { label in
                PromQLLabelMatcher(name: label, op: .regexMatch, value: idValues[label]!.sorted().map(Self.quoteMeta).joined(separator: "|"))
            }
            matchers += dataMatchers.map(\.matcher)
            matchers += Self.effectiveInfoNameMatchers(selectorMatchers.filter { $0.name == nameLabel })
            let (at, offset) = Self.infoTimeModifiers(args[0])
            let selector = PromQLVectorSelector(name: nil, matchers: matchers, offset: offset, at: at)
            for info in try instantSelect(selector, at: t) {
                guard !info.isHistogram else {
                    throw PromQLEvaluationError.execution("this should be an info metric, with float samples: \(info.labels)")
                }
                let signature = Self.infoSignature(info.labels, name: info.labels.metricName ?? "")
                infoNames.insert(info.labels.metricName ?? "")
                if let existing = infoBySignature[signature] {
                    if existing.timestamp == info.timestamp {
                        throw PromQLEvaluationError.execution("found duplicate series for info metric: existing \(existing.labels) @ \(existing.timestamp), new \(info.labels) @ \(info.timestamp)")
                    }
                    if existing.timestamp > info.timestamp { continue }
                }
                infoBySignature[signature] = info
            }
        }

        var out: [PromQLElement] = []
        for element in base {
            if isInfoSeries(element.labels) {
                out.append(element)
                continue
            }
            var added: [String: String] = [:]
            var matched = false
            for name in infoNames.sorted() {
                guard let info = infoBySignature[Self.infoSignature(element.labels, name: name)] else { continue }
                matched = true
                for label in info.labels.labels where label.name != nameLabel {
                    if !dataLabelNames.isEmpty && !dataLabelNames.contains(label.name) { continue }
                    if let current = added[label.name], current != label.value {
                        throw PromQLEvaluationError.execution("conflicting label: \(label.name)")
                    }
                    if element.labels[label.name] != nil { continue }
                    added[label.name] = label.value
                }
            }
            // Without a match the series survives only if every data
            // matcher accepts a missing label.
            if !matched && !dataMatchers.allSatisfy({ $0.matches("") }) { continue }
            var labels = element.labels
            for (name, value) in added { labels = labels.setting(name, to: value) }
            var enriched = element
            enriched.labels = labels
            enriched.timestamp = t
            out.append(enriched)
        }
        return out
    }

    /// Name matchers for the info metric: as given if one is `=` or `=~`,
    /// otherwise narrowed to `*_info` metrics; `target_info` by default.
    static func effectiveInfoNameMatchers(_ matchers: [PromQLLabelMatcher]) -> [PromQLLabelMatcher] {
        if matchers.contains(where: { $0.op == .equal || $0.op == .regexMatch }) { return matchers }
        if !matchers.isEmpty { return [PromQLLabelMatcher(name: PromQLLabelMatcher.metricNameLabel, op: .regexMatch, value: ".+_info")] + matchers }
        return [PromQLLabelMatcher(name: PromQLLabelMatcher.metricNameLabel, op: .equal, value: "target_info")]
    }

    private static func infoSignature(_ labels: PromQLLabels, name: String) -> PromQLLabels {
        labels.keeping(identifyingLabels).setting(PromQLLabelMatcher.metricNameLabel, to: name)
    }

    /// The `@` and offset of the first selector in the base expression
    /// (adding enclosing subqueries' offsets), which info series are read with.
    static func infoTimeModifiers(_ expression: PromQLExpression) -> (PromQLAtModifier?, PromQLDuration?) {
        func find(_ e: PromQLExpression, _ path: [PromQLSubquery]) -> (PromQLAtModifier?, PromQLDuration?)? {
            switch e {
            case .vectorSelector(let v):
                return resolve(v, path)
            case .matrixSelector(let m):
                return resolve(m.selector, path)
            case .subquery(let s): return find(s.expression, path + [s])
            case .call(let c):
                for a in c.arguments { if let r = find(a, path) { return r } }
                return nil
            case .aggregation(let a): return find(a.expression, path)
            case .unary(_, let inner), .parentheses(let inner): return find(inner, path)
            case .binary(let b): return find(b.lhs, path) ?? find(b.rhs, path)
            case .number, .string: return nil
            }
        }
        func resolve(_ v: PromQLVectorSelector, _ path: [PromQLSubquery]) -> (PromQLAtModifier?, PromQLDuration?) {
            var at = v.at
            var offset = v.offset?.milliseconds ?? 0
            for subquery in path.reversed() where at == nil {
                offset += subquery.offset?.milliseconds ?? 0
                at = subquery.at
            }
            return (at, PromQLDuration(milliseconds: offset))
        }
        return find(expression, []) ?? (nil, nil)
    }

    /// Go's `regexp.QuoteMeta`.
    static func quoteMeta(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            if "\\.+*?()|[]{}^$".unicodeScalars.contains(c) { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out
    }
}
