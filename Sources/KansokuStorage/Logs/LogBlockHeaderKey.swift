/// The bytes of a resource or scope header in a WAL payload
/// (``TelemetryBatch/walk(walPayload:resource:scope:)``), as a dictionary key
/// of the block writer; a scope's key names the resource header it is under.
/// Hashed as one run of bytes, not byte by byte.
struct LogBlockHeaderKey: Hashable {
    /// For a scope header, the id of its resource header; nil for a resource header.
    var resource: Int?
    var bytes: [UInt8]

    init(resource: Int?, bytes: ArraySlice<UInt8>) {
        self.resource = resource
        self.bytes = Array(bytes)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(resource)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
