import KansokuModel

/// Runs an ``RE2Program`` over UTF-8 bytes the way Go's `regexp` does for
/// short inputs: depth first in the program's priority order, so the first
/// match found is Go's leftmost-first match, with a bit per (instruction,
/// position) so that no state is explored twice. That bounds the work by
/// instructions × (bytes + 1), however the pattern is written, and the bits
/// are kept across start positions, so an unanchored search is linear too.
struct RE2Backtracker {
    struct Job {
        var pc: Int32
        /// For a `split`: its first branch has been tried; for a `save`: `position` is the value to restore.
        var resumed: Bool
        var position: Int
    }

    private let instructions: UnsafeBufferPointer<RE2Instruction>
    private let classes: UnsafeBufferPointer<RE2RuneClass>
    private let text: UnsafeRawBufferPointer
    private let visited: UnsafeMutableBufferPointer<UInt64>
    /// Capture slots, or empty when the caller only asks whether there is a match.
    private let captures: UnsafeMutableBufferPointer<Int>
    private var jobs: RE2JobStack<Job>

    /// Whether `program` matches in `text`: starting anywhere at or after
    /// `from` (at a scalar's first byte), or only at the start when
    /// `anchored`. Assertions see the whole text, as Go's do when it searches
    /// from a position. On a match the capture slots, when given
    /// (`program.captureSlots` of them), hold the byte offsets of each group
    /// (−1 for a group that took no part).
    static func firstMatch(_ program: borrowing RE2Program, in text: UnsafeRawBufferPointer, anchored: Bool,
                           from: Int = 0, captures: UnsafeMutableBufferPointer<Int>) -> Bool {
        let states = program.instructions.count * (text.count + 1)
        captures.initialize(repeating: -1)
        if anchored && from > 0 { return false }  // an anchored match starts at 0 only
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (states + 63) >> 6) { visited in
            visited.initialize(repeating: 0)
            return withUnsafeTemporaryAllocation(of: Job.self, capacity: RE2JobStack<Job>.initialCapacity) { jobs in
                program.instructions.withUnsafeBufferPointer { instructions in
                    program.classes.withUnsafeBufferPointer { classes in
                        var machine = RE2Backtracker(instructions: instructions, classes: classes, text: text, visited: visited,
                                                     captures: captures, jobs: RE2JobStack(jobs))
                        defer { machine.jobs.release() }
                        guard let start = machine.firstStart(program, anchored: anchored, from: from) else { return false }
                        return machine.search(program, from: start, anchored: anchored)
                    }
                }
            }
        }
    }

    /// The first position a match can start at, skipping to the program's literal prefix or first class.
    private func firstStart(_ program: borrowing RE2Program, anchored: Bool, from position: Int = 0) -> Int? {
        if !program.prefix.isEmpty {
            return program.prefix.withUnsafeBytes { prefix in
                anchored ? (text.hasBytes(prefix, at: 0) ? 0 : nil) : text.firstOffset(of: prefix, from: position)
            }
        }
        if program.firstASCIIMask != (0, 0) {
            // Bytes of multi-byte scalars are never in an ASCII mask.
            var position = position
            while position < text.count, !RE2RuneClass.masks(program.firstASCIIMask, contain: text[position]) { position += 1 }
            return position < text.count && (!anchored || position == 0) ? position : nil
        }
        return position
    }

    private mutating func search(_ program: borrowing RE2Program, from start: Int, anchored: Bool) -> Bool {
        var position = start
        while true {
            if run(from: position) { return true }
            guard !anchored, position < text.count else { return false }
            position += RE2UTF8.scalar(in: text, at: position).width
            guard let next = firstStart(program, anchored: false, from: position) else { return false }
            position = next
        }
    }

    @inline(__always)
    private func visit(_ pc: Int32, _ position: Int) -> Bool {
        let state = Int(pc) * (text.count + 1) + position
        let bit: UInt64 = 1 << UInt64(state & 63)
        if visited[state >> 6] & bit != 0 { return false }
        visited[state >> 6] |= bit
        return true
    }

    private mutating func run(from start: Int) -> Bool {
        guard visit(0, start) else { return false }
        jobs.push(Job(pc: 0, resumed: false, position: start))
        let wantsCaptures = !captures.isEmpty
        while let job = jobs.pop() {
            var pc = job.pc
            var position = job.position
            var resumed = job.resumed
            var checked = true  // a popped job was checked when it was pushed
            step: while true {
                if !checked {
                    guard visit(pc, position) else { break step }
                }
                checked = false
                let instruction = instructions[Int(pc)]
                switch instruction.operation {
                case .byte:
                    guard position < text.count, text[position] == UInt8(truncatingIfNeeded: instruction.argument) else {
                        break step
                    }
                    pc += 1
                    position += 1
                case .foldedByte:
                    guard position < text.count, text[position] | 0x20 == UInt8(truncatingIfNeeded: instruction.argument) else {
                        break step
                    }
                    pc += 1
                    position += 1
                case .runeClass:
                    guard position < text.count else { break step }
                    let lead = text[position]
                    if lead < 0x80 {
                        guard classes[Int(instruction.argument)].containsASCII(lead) else { break step }
                        position += 1
                    } else {
                        let (scalar, width) = RE2UTF8.scalar(in: text, at: position)
                        guard classes[Int(instruction.argument)].contains(scalar) else { break step }
                        position += width
                    }
                    pc += 1
                case .split:
                    if resumed {
                        resumed = false
                        pc = instruction.alternative
                    } else {
                        // Come back for the alternative once the first branch is done, so
                        // that a state the first branch reaches is explored there first.
                        jobs.push(Job(pc: pc, resumed: true, position: position))
                        pc = instruction.argument
                    }
                case .jump:
                    pc = instruction.argument
                case .save:
                    if wantsCaptures {
                        let slot = Int(instruction.argument)
                        if resumed {
                            captures[slot] = position
                            break step
                        }
                        jobs.push(Job(pc: pc, resumed: true, position: captures[slot]))
                        captures[slot] = position
                    }
                    pc += 1
                case .assert:
                    guard holds(RE2Assertion(rawValue: UInt8(instruction.argument))!, at: position) else { break step }
                    pc += 1
                case .match:
                    return true
                }
            }
        }
        return false
    }

    private func holds(_ assertion: RE2Assertion, at position: Int) -> Bool {
        switch assertion {
        case .beginText: return position == 0
        case .endText: return position == text.count
        case .beginLine: return position == 0 || text[position - 1] == 0x0A
        case .endLine: return position == text.count || text[position] == 0x0A
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && Self.isWordByte(text[position - 1])
            let after = position < text.count && Self.isWordByte(text[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    /// ASCII word characters, as Go's `\b` has them (a byte of a multi-byte scalar is not one).
    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool { RE2RuneClass.wordCharacters.containsASCII(byte) }
}

/// UTF-8 decoding as Go's `utf8.DecodeRune` does it: an invalid byte is U+FFFD, one byte wide.
enum RE2UTF8 {
    static func scalar(in text: UnsafeRawBufferPointer, at position: Int) -> (scalar: UInt32, width: Int) {
        let lead = text[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let invalid: (UInt32, Int) = (0xFFFD, 1)
        let remaining = text.count - position
        func continuation(_ i: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> UInt32? {
            i < remaining && range.contains(text[position + i]) ? UInt32(text[position + i] & 0x3F) : nil
        }
        switch lead {
        case 0xC2...0xDF:
            guard let b1 = continuation(1) else { return invalid }
            return (UInt32(lead & 0x1F) << 6 | b1, 2)
        case 0xE0...0xEF:
            let second: ClosedRange<UInt8> = lead == 0xE0 ? 0xA0...0xBF : lead == 0xED ? 0x80...0x9F : 0x80...0xBF
            guard let b1 = continuation(1, second), let b2 = continuation(2) else { return invalid }
            return (UInt32(lead & 0x0F) << 12 | b1 << 6 | b2, 3)
        case 0xF0...0xF4:
            let second: ClosedRange<UInt8> = lead == 0xF0 ? 0x90...0xBF : lead == 0xF4 ? 0x80...0x8F : 0x80...0xBF
            guard let b1 = continuation(1, second), let b2 = continuation(2), let b3 = continuation(3) else { return invalid }
            return (UInt32(lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
        default: return invalid
        }
    }
}
