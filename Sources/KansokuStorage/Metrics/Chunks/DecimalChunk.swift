#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KansokuModel

/// A block's encoding of float samples whose values are all decimals with
/// few digits after the point — what exporters mostly write (byte and
/// packet counters, seconds with two decimals, percentages) — as varints
/// that zstd then compresses well; Gorilla's XOR bits hardly compress.
///
/// ```text
/// chunk  := count:u16be scale:u8 t0:svar [Δt1:svar] ΔΔt:svar*  m0:svar Δm:svar*
/// ```
///
/// Sample `i`'s value is `Double(m_i) / 10^scale`, and encoding checks,
/// value by value, that this gives back exactly the same bits, so the
/// encoding is lossless; a run with a NaN (staleness markers included), an
/// infinity, a negative zero or more digits than `maxScale` cannot be
/// written and stays an ``XORChunk``. Timestamps are delta-of-delta varints
/// (a regular scrape interval costs one zero byte per sample before zstd).
struct DecimalChunk: Sendable, Hashable {
    /// The most digits after the decimal point tried.
    static let maxScale = 9
    /// `Double(m)` is exact below this magnitude.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0  // 2^53
    private static let powersOfTen: [Double] = (0...maxScale).map { pow(10, Double($0)) }

    let bytes: [UInt8]

    /// Samples in the chunk.
    var count: Int { Int(bytes[0]) << 8 | Int(bytes[1]) }

    /// Wraps stored bytes; damage surfaces when decoding.
    init(bytes: [UInt8]) throws(DecimalChunkError) {
        guard bytes.count >= 3 else { throw DecimalChunkError("\(bytes.count) bytes, shorter than the 3-byte header") }
        self.bytes = bytes
    }

    /// Encodes `samples` (strictly increasing timestamps, at most 65,535),
    /// or nil when a value is not a short decimal.
    init?(_ samples: [Sample]) {
        guard !samples.isEmpty, samples.count <= Int(UInt16.max), let scale = Self.scale(of: samples) else { return nil }
        let power = Self.powersOfTen[scale]
        var writer = WALWriter(reservingCapacity: 3 + samples.count * 4)
        writer.writeByte(UInt8(samples.count >> 8))
        writer.writeByte(UInt8(samples.count & 0xff))
        writer.writeByte(UInt8(scale))
        var previousTime = samples[0].timestamp, previousDelta: Int64 = 0
        writer.writeVarInt(previousTime)
        for (i, sample) in samples.enumerated().dropFirst() {
            let delta = sample.timestamp &- previousTime
            writer.writeVarInt(i == 1 ? delta : delta &- previousDelta)
            previousDelta = delta
            previousTime = sample.timestamp
        }
        var previous: Int64 = 0
        for sample in samples {
            let mantissa = Int64((sample.value * power).rounded())
            writer.writeVarInt(mantissa &- previous)
            previous = mantissa
        }
        bytes = writer.bytes
    }

    /// The smallest scale at which every value round-trips exactly.
    private static func scale(of samples: [Sample]) -> Int? {
        var scale = 0
        for sample in samples {
            while !fits(sample.value, scale: scale) {
                scale += 1
                if scale > maxScale { return nil }
            }
        }
        // A value that fitted at a smaller scale may not at the final one: check again.
        while scale <= maxScale {
            if samples.allSatisfy({ fits($0.value, scale: scale) }) { return scale }
            scale += 1
        }
        return nil
    }

    private static func fits(_ value: Double, scale: Int) -> Bool {
        guard value.isFinite, !(value == 0 && value.sign == .minus) else { return false }
        let power = powersOfTen[scale]
        let scaled = (value * power).rounded()
        guard abs(scaled) < exactIntegerLimit else { return false }
        return (Double(Int64(scaled)) / power).bitPattern == value.bitPattern
    }

    /// Every sample, oldest first. Reads the varints through a raw pointer:
    /// queries decode every chunk they touch, so this is a hot loop.
    func decodeAll() throws(DecimalChunkError) -> [Sample] {
        let n = count
        let scale = Int(bytes[2])
        guard scale <= Self.maxScale else { throw DecimalChunkError("scale \(scale) is over \(Self.maxScale)") }
        let power = Self.powersOfTen[scale]
        let decoded: Result<[Sample], DecimalChunkError> = bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let count = buffer.count
            var position = 3
            var failed = false
            /// A zig-zag varint; sets `failed` past the end or over 10 bytes.
            @inline(__always) func next() -> Int64 {
                var result: UInt64 = 0, shift: UInt64 = 0
                while position < count {
                    let byte = base[position]
                    position += 1
                    result |= UInt64(byte & 0x7f) << shift
                    if byte < 0x80 { return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1) }
                    shift += 7
                    if shift >= 70 { break }
                }
                failed = true
                return 0
            }
            var samples = [Sample](repeating: Sample(timestamp: 0, value: 0), count: n)
            var time: Int64 = 0, delta: Int64 = 0
            for i in 0..<n {
                let field = next()
                switch i {
                case 0: time = field
                case 1: delta = field; time &+= delta
                default: delta &+= field; time &+= delta
                }
                if failed { return .failure(DecimalChunkError("truncated or malformed timestamp \(i)")) }
                if i > 0, time <= samples[i - 1].timestamp { return .failure(DecimalChunkError("timestamps do not increase at sample \(i)")) }
                samples[i].timestamp = time
            }
            var mantissa: Int64 = 0
            for i in 0..<n {
                mantissa &+= next()
                if failed { return .failure(DecimalChunkError("truncated or malformed value \(i)")) }
                // Whole numbers (scale 0, most counters) need no division.
                samples[i].value = scale == 0 ? Double(mantissa) : Double(mantissa) / power
            }
            guard position == count else { return .failure(DecimalChunkError("\(count - position) trailing bytes")) }
            return .success(samples)
        }
        return try decoded.get()
    }
}

/// Why a stored ``DecimalChunk`` could not be read.
struct DecimalChunkError: Error, Sendable, Hashable, CustomStringConvertible {
    let detail: String
    init(_ detail: String) { self.detail = detail }
    var description: String { "decimal chunk: \(detail)" }
}
