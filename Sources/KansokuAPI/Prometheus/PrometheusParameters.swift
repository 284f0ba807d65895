import Hummingbird
import KansokuQuery
import KansokuStorage

/// The parameters of one Prometheus API call, from the URL query and, for
/// POST, from an `application/x-www-form-urlencoded` body (as Go's
/// `ParseForm` merges them: body values first).
struct PrometheusParameters: Sendable {
    private let list: [(name: String, value: String)]

    /// The largest form body read; Grafana posts long queries, not megabytes.
    static let maxBodyBytes = 4 << 20

    init(list: [(name: String, value: String)]) {
        self.list = list
    }

    static func of(_ request: Request) async throws -> PrometheusParameters {
        var parameters: [(name: String, value: String)] = []
        if request.method == .post {
            var request = request
            let body = try await request.collectBody(upTo: maxBodyBytes)
            parameters += FormQuery.parameters(String(buffer: body))
        }
        parameters += FormQuery.parameters(request.uri.query)
        return PrometheusParameters(list: parameters)
    }

    /// The first value of `name`, nil when absent or empty.
    subscript(name: String) -> String? {
        guard let value = list.first(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return value
    }

    /// Every value of `name` (for `match[]`).
    func all(_ name: String) -> [String] { list.filter { $0.name == name }.map(\.value) }

    /// A required time parameter, or `defaultValue` when absent.
    func time(_ name: String, default defaultValue: Int64? = nil) throws(PrometheusAPIError) -> Int64 {
        guard let text = self[name] else {
            if let defaultValue { return defaultValue }
            throw .invalidParameter(name, "cannot parse \"\" to a valid timestamp")
        }
        guard let ms = PrometheusTimestamp.parse(text) else {
            throw .invalidParameter(name, "cannot parse \"\(text)\" to a valid timestamp")
        }
        return ms
    }

    /// An optional duration parameter in ms.
    func duration(_ name: String) throws(PrometheusAPIError) -> Int64? {
        guard let text = self[name] else { return nil }
        guard let ms = PrometheusTimestamp.parseDuration(text) else {
            throw .invalidParameter(name, "cannot parse \"\(text)\" to a valid duration")
        }
        return ms
    }

    /// `match[]` selectors, each parsed into store matchers.
    func selectors(required: Bool) throws(PrometheusAPIError) -> [[SeriesMatcher]] {
        let texts = all("match[]")
        if required, texts.isEmpty { throw PrometheusAPIError(.badData, "no match[] parameter provided") }
        var selectors: [[SeriesMatcher]] = []
        for text in texts {
            let expression: PromQLExpression
            do throws(PromQLParseError) {
                expression = try PromQLParser.parse(text)
            } catch {
                throw .invalidParameter("match[]", error.description)
            }
            guard case .vectorSelector(let selector) = expression.unwrappingParentheses else {
                throw .invalidParameter("match[]", "1:1: parse error: expected type instant vector in series selector, got \(expression.type)")
            }
            selectors.append(try PrometheusParameters.storeMatchers(selector.matchers))
        }
        return selectors
    }

    static func storeMatchers(_ matchers: [PromQLLabelMatcher]) throws(PrometheusAPIError) -> [SeriesMatcher] {
        do throws(SeriesMatcherError) {
            return try SeriesMatcher.converting(matchers)
        } catch {
            throw PrometheusAPIError(.badData, error.description)
        }
    }
}
