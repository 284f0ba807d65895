/// A remote-write body that is not a valid `prometheus.WriteRequest`: bad
/// protobuf framing, a field with the wrong wire type, or a string that is not
/// UTF-8. The whole request is refused (HTTP 400); nothing from it is kept.
struct RemoteWriteDecodingError: Error, Sendable, CustomStringConvertible {
    /// Byte offset within the (decompressed) request where the problem was found.
    var offset: Int
    /// Where in the message it was found, e.g. `timeseries[3]` or `metadata[0]`.
    var context: String
    /// What was wrong, e.g. `Label.value is not valid UTF-8`.
    var reason: String

    init(offset: Int, context: String, reason: String) {
        self.offset = offset
        self.context = context
        self.reason = reason
    }

    var description: String {
        context.isEmpty
            ? "malformed remote write request: \(reason) at byte \(offset)"
            : "malformed remote write request: \(context): \(reason) at byte \(offset)"
    }
}
