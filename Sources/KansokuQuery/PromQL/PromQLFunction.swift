/// Signature of a PromQL function, used to type-check calls at parse time.
///
/// `variadic` follows Prometheus's convention: `0` means exactly
/// `argumentTypes.count` arguments; `n > 0` means the last argument type may
/// be omitted or repeated up to `n` times in total; `-1` means the last type
/// may be omitted or repeated without limit. Arguments past the end of
/// `argumentTypes` take the last listed type.
public struct PromQLFunction: Sendable, Hashable {
    /// The function name, case-sensitive as in Prometheus.
    public var name: String
    /// Declared argument types in order.
    public var argumentTypes: [PromQLValueType]
    /// See the type documentation.
    public var variadic: Int
    /// The type of the call's result.
    public var returnType: PromQLValueType
    /// Upstream gates this behind `--enable-feature=promql-experimental-functions`.
    public var isExperimental: Bool

    /// Creates a signature.
    public init(name: String, argumentTypes: [PromQLValueType], variadic: Int = 0, returnType: PromQLValueType, isExperimental: Bool = false) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.variadic = variadic
        self.returnType = returnType
        self.isExperimental = isExperimental
    }

    /// The smallest number of arguments accepted.
    public var minimumArguments: Int { variadic == 0 ? argumentTypes.count : argumentTypes.count - 1 }

    /// The largest number of arguments accepted, `nil` if unbounded.
    public var maximumArguments: Int? {
        switch variadic {
        case 0: return argumentTypes.count
        case ..<0: return nil
        default: return argumentTypes.count - 1 + variadic
        }
    }

    /// The expected type of the argument at `index`.
    public func argumentType(at index: Int) -> PromQLValueType {
        index < argumentTypes.count ? argumentTypes[index] : argumentTypes[argumentTypes.count - 1]
    }

    /// Looks a function up by its exact name.
    public static func named(_ name: String) -> PromQLFunction? { table[name] }

    /// Every known function, keyed by name.
    public static let table: [String: PromQLFunction] = {
        var table: [String: PromQLFunction] = [:]
        for function in all { table[function.name] = function }
        return table
    }()

    /// Every function from the Prometheus functions reference.
    public static let all: [PromQLFunction] = {
        let v = PromQLValueType.instantVector, m = PromQLValueType.rangeVector
        let s = PromQLValueType.scalar, str = PromQLValueType.string
        var list: [PromQLFunction] = []
        func add(_ name: String, _ args: [PromQLValueType], variadic: Int = 0, returns: PromQLValueType = .instantVector, experimental: Bool = false) {
            list.append(PromQLFunction(name: name, argumentTypes: args, variadic: variadic, returnType: returns, isExperimental: experimental))
        }
        // Element-wise math on instant vectors.
        for name in ["abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sgn", "sqrt", "deg", "rad",
                     "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                     "absent", "sort", "sort_desc", "timestamp", "start_timestamp",
                     "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar"] {
            add(name, [v])
        }
        // Functions over a range vector returning one value per series.
        for name in ["absent_over_time", "changes", "delta", "deriv", "idelta", "increase", "irate", "rate", "resets",
                     "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                     "stddev_over_time", "stdvar_over_time", "last_over_time", "first_over_time", "present_over_time"] {
            add(name, [m])
        }
        for name in ["mad_over_time", "ts_of_min_over_time", "ts_of_max_over_time", "ts_of_last_over_time", "ts_of_first_over_time"] {
            add(name, [m], experimental: true)
        }
        // Date functions default their argument to vector(time()).
        for name in ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"] {
            add(name, [v], variadic: 1)
        }
        add("clamp", [v, s, s])
        add("clamp_max", [v, s])
        add("clamp_min", [v, s])
        add("round", [v, s], variadic: 1)
        add("histogram_fraction", [s, s, v])
        add("histogram_quantile", [s, v])
        // One to ten quantiles after the vector and the label name.
        add("histogram_quantiles", [v, str, s, s], variadic: 9, experimental: true)
        add("label_join", [v, str, str, str], variadic: -1)
        add("label_replace", [v, str, str, str, str])
        add("predict_linear", [m, s])
        add("quantile_over_time", [s, m])
        add("double_exponential_smoothing", [m, s, s], experimental: true)
        add("info", [v, v], variadic: 1, experimental: true)
        add("sort_by_label", [v, str], variadic: -1, experimental: true)
        add("sort_by_label_desc", [v, str], variadic: -1, experimental: true)
        add("scalar", [v], returns: .scalar)
        add("vector", [s])
        add("time", [], returns: .scalar)
        add("pi", [], returns: .scalar)
        add("start", [], returns: .scalar, experimental: true)
        add("end", [], returns: .scalar, experimental: true)
        add("range", [], returns: .scalar, experimental: true)
        add("step", [], returns: .scalar, experimental: true)
        add("max_of", [s, s], returns: .scalar, experimental: true)
        add("min_of", [s, s], returns: .scalar, experimental: true)
        return list
    }()
}
