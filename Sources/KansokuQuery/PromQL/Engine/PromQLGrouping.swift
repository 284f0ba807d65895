/// How one aggregation (`sum by (job) (…)`) groups its input, remembered for
/// the whole query: each label set's group labels, and the last input's
/// assignment to groups. A range query usually feeds the same series in the
/// same order at every step; then the assignment is reused after comparing
/// storage identities, without looking up any label set.
struct PromQLGrouping {
    /// The labels kept (`by`) or removed (`without`, with the metric name).
    private let names: Set<String>
    private let without: Bool
    private var groupOf: [PromQLLabels: PromQLLabels] = [:]
    private var inputs: [PromQLLabels] = []
    private var assignment: [Int] = []
    private var groups: [PromQLLabels] = []

    init(_ aggregation: PromQLAggregation) {
        without = aggregation.without
        names = without ? Set(aggregation.grouping + [PromQLLabelMatcher.metricNameLabel]) : Set(aggregation.grouping)
    }

    /// The labels of the group `labels` falls in.
    mutating func group(of labels: PromQLLabels) -> PromQLLabels {
        if let known = groupOf[labels] { return known }
        let group = without ? labels.removing(names) : labels.keeping(names)
        groupOf[labels] = group
        return group
    }

    /// Each input's group (an index into `groups`, in order of first
    /// appearance), the inputs' label sets read through `labels`. Label sets
    /// are copied out only when the assignment must be rebuilt.
    mutating func assign<Input>(_ inputs: [Input], _ labels: (Input) -> PromQLLabels) -> (assignment: [Int], groups: [PromQLLabels]) {
        if inputs.count == self.inputs.count,
           inputs.indices.allSatisfy({ labels(inputs[$0]).sharesStorage(with: self.inputs[$0]) }) {
            return (assignment, groups)
        }
        var assignment: [Int] = []
        assignment.reserveCapacity(inputs.count)
        var groups: [PromQLLabels] = []
        var index: [PromQLLabels: Int] = [:]
        for input in inputs {
            let k = group(of: labels(input))
            if let existing = index[k] {
                assignment.append(existing)
            } else {
                index[k] = groups.count
                assignment.append(groups.count)
                groups.append(k)
            }
        }
        (self.inputs, self.assignment, self.groups) = (inputs.map(labels), assignment, groups)
        return (assignment, groups)
    }
}
