#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Validation and canonical spelling of Zipkin endpoint addresses.
///
/// The Collector reads `ipv4`/`ipv6` with Go's `net.ParseIP` (either family is
/// accepted in either field) and writes them back with `IP.String()`, so an
/// IPv4-mapped IPv6 address comes out as a dotted quad and IPv6 is compressed.
enum ZipkinIPAddress {
    /// The canonical text of an IPv4 or IPv6 address, or nil when `text` is neither.
    static func canonical(_ text: String) -> String? {
        guard !text.isEmpty, !text.utf8.contains(0) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return canonical(bytes: withUnsafeBytes(of: &v4) { Array($0) })
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return canonical(bytes: withUnsafeBytes(of: &v6) { Array($0) })
    }

    /// The canonical text of an address given as its network-order bytes, as
    /// Zipkin's protobuf carries it: 4 bytes are IPv4, 16 bytes IPv6 (an
    /// IPv4-mapped one printed as IPv4, like Go's `net.IP.String()`); any other
    /// length is no address (nil).
    static func canonical(bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4:
            return format(family: AF_INET, bytes, capacity: Int(INET_ADDRSTRLEN))
        case 16:
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return bytes[12..<16].map(String.init).joined(separator: ".")
            }
            return format(family: AF_INET6, bytes, capacity: Int(INET6_ADDRSTRLEN))
        default:
            return nil
        }
    }

    /// `inet_ntop` of an address given as its network-order bytes.
    private static func format(family: Int32, _ address: [UInt8], capacity: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: capacity)
        let written = address.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family, raw.baseAddress, out.baseAddress, socklen_t(capacity))
            }
        }
        guard written != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
