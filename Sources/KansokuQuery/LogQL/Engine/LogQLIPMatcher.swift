#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// LogQL's `ip("…")` pattern, as Loki (Go's `netip`) reads it: one address
/// (`192.168.0.1`, `::1`), an inclusive range (`192.168.0.1-192.168.0.254`)
/// or a CIDR prefix (`10.0.0.0/8`, `2001:db8::/32`). IPv4 and IPv6 are
/// separate families: an IPv4 address never matches an IPv6 pattern.
struct LogQLIPMatcher: Sendable, Hashable {
    /// An address: its family and bytes (4 or 16), compared byte-wise.
    struct Address: Sendable, Hashable, Comparable {
        let bytes: [UInt8]

        static func < (a: Address, b: Address) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

        /// Go's `netip.ParseAddr` for the forms logs hold: dotted IPv4 (no
        /// leading zeros) and IPv6 (zones are not accepted here).
        init?(_ text: Substring) {
            guard !text.isEmpty, text.count <= 45 else { return nil }
            if text.contains(":") {
                var storage = in6_addr()
                let parsed = String(text).withCString { inet_pton(AF_INET6, $0, &storage) }
                guard parsed == 1 else { return nil }
                bytes = withUnsafeBytes(of: storage) { Array($0) }
                return
            }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var octets: [UInt8] = []
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                      part.count == 1 || part.first != "0", let value = UInt8(part) else { return nil }
                octets.append(value)
            }
            bytes = octets
        }

        init(bytes: [UInt8]) { self.bytes = bytes }
    }

    private enum Kind: Sendable, Hashable {
        case single(Address)
        case range(Address, Address)
        case prefix(Address, bits: Int)
    }

    private let kind: Kind

    /// Parses the pattern; nil when it is none of the three forms.
    init?(pattern: String) {
        let text = Substring(pattern)
        if let slash = text.firstIndex(of: "/") {
            guard let address = Address(text[..<slash]), let bits = Int(text[text.index(after: slash)...]),
                  bits >= 0, bits <= address.bytes.count * 8 else { return nil }
            kind = .prefix(Self.masked(address, bits: bits), bits: bits)
        } else if let dash = text.firstIndex(of: "-") {
            guard let from = Address(text[..<dash]), let to = Address(text[text.index(after: dash)...]),
                  from.bytes.count == to.bytes.count, !(to < from) else { return nil }
            kind = .range(from, to)
        } else {
            guard let address = Address(text) else { return nil }
            kind = .single(address)
        }
    }

    /// Whether `address` is in the pattern (same family only).
    func matches(_ address: Address) -> Bool {
        switch kind {
        case .single(let only): return address == only
        case .range(let from, let to):
            return address.bytes.count == from.bytes.count && !(address < from) && !(to < address)
        case .prefix(let network, let bits):
            return address.bytes.count == network.bytes.count && Self.masked(address, bits: bits) == network
        }
    }

    /// Whether some address written in `line` matches: every maximal run of
    /// characters an address can hold (hex digits, `.`, `:`) is tried, as
    /// Loki's line filter does.
    func matchesSomewhere(in line: String) -> Bool {
        var utf8 = line.utf8[...]
        while let start = utf8.firstIndex(where: Self.isAddressByte) {
            let rest = utf8[start...]
            let end = rest.firstIndex(where: { !Self.isAddressByte($0) }) ?? rest.endIndex
            if let address = Address(Substring(line.utf8[start..<end])), matches(address) { return true }
            utf8 = utf8[end...]
        }
        return false
    }

    private static func isAddressByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"),
             UInt8(ascii: "."), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    /// The address with every bit after the first `bits` cleared.
    private static func masked(_ address: Address, bits: Int) -> Address {
        var bytes = address.bytes
        for i in bytes.indices {
            let keep = max(0, min(8, bits - i * 8))
            bytes[i] &= keep == 8 ? 0xff : ~(0xff >> UInt8(keep))
        }
        return Address(bytes: bytes)
    }
}
