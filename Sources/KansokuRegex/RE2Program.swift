/// One step of an ``RE2Program``.
struct RE2Instruction: Sendable {
    enum Operation: UInt8, Sendable {
        /// Consume the byte `argument`.
        case byte
        /// Consume the ASCII letter `argument` (lowercase) in either case.
        case foldedByte
        /// Consume one UTF-8 encoded scalar of class `argument`.
        case runeClass
        /// Try `argument` first, then `alternative`.
        case split
        case jump
        /// Record the position in capture slot `argument`.
        case save
        /// Go on only where assertion `argument` holds.
        case assert
        case match
    }

    var operation: Operation
    var argument: Int32 = 0
    var alternative: Int32 = 0
}

/// A compiled regex: a program for a backtracking machine, laid out the way
/// Go's `regexp/syntax` compiles (so that the first match found is the one
/// Go reports, empty loops included), with the literal bytes every match
/// starts with.
struct RE2Program: Sendable {
    private(set) var instructions: [RE2Instruction] = []
    private(set) var classes: [RE2RuneClass] = []
    /// The bytes every match starts with (empty when unknown), for skipping ahead with `memchr`.
    private(set) var prefix: [UInt8] = []
    /// The ASCII mask (``RE2RuneClass/asciiMask``) of the class the first scalar of
    /// every match is in, when it holds ASCII scalars only; (0, 0) when unknown.
    private(set) var firstASCIIMask: (UInt64, UInt64) = (0, 0)
    let captureSlots: Int

    /// Past this many instructions (long counted repeats) the regex is left to Swift's engine.
    static let maximumInstructions = 10_000

    /// `save 0, body, save 1, match`; nil when the program would be too large.
    init?(_ node: RE2Node, groupCount: Int) {
        captureSlots = 2 * (groupCount + 1)
        emit(.save, 0)
        guard compile(node) else { return nil }
        emit(.save, 1)
        emit(.match)
        findPrefix()
    }

    @discardableResult
    private mutating func emit(_ operation: RE2Instruction.Operation, _ argument: Int = 0, _ alternative: Int = 0) -> Int {
        instructions.append(RE2Instruction(operation: operation, argument: Int32(argument), alternative: Int32(alternative)))
        return instructions.count - 1
    }

    private mutating func patch(_ at: Int, argument: Int? = nil, alternative: Int? = nil) {
        if let argument { instructions[at].argument = Int32(argument) }
        if let alternative { instructions[at].alternative = Int32(alternative) }
    }

    private mutating func compile(_ node: RE2Node) -> Bool {
        guard instructions.count <= Self.maximumInstructions else { return false }
        switch node {
        case .empty: return true
        case .literal(let bytes):
            for byte in bytes { emit(.byte, Int(byte)) }
            return true
        case .runeClass(let set):
            emitClass(set)
            return true
        case .concatenation(let items):
            return items.allSatisfy { compile($0) }
        case .alternation(let branches):
            var exits: [Int] = []
            for (i, branch) in branches.enumerated() {
                guard i < branches.count - 1 else { return compile(branch) && patchExits(exits) }
                let split = emit(.split, instructions.count + 1)
                guard compile(branch) else { return false }
                exits.append(emit(.jump))
                patch(split, alternative: instructions.count)
            }
            return patchExits(exits)
        case .capture(let body, let index, _):
            emit(.save, 2 * index)
            guard compile(body) else { return false }
            emit(.save, 2 * index + 1)
            return true
        case .assertion(let assertion):
            emit(.assert, Int(assertion.rawValue))
            return true
        case .repetition(let body, let min, let max, let greedy):
            return compileRepetition(body, min: min, max: max, greedy: greedy)
        }
    }

    private mutating func patchExits(_ exits: [Int]) -> Bool {
        for exit in exits { patch(exit, argument: instructions.count) }
        return true
    }

    /// As Go simplifies them: `x{n,}` is `x`×(n−1) then `x+`; `x{n,m}` is
    /// `x`×n then nested `(x(x)?)?`; `x*` of a body that can match empty is
    /// `(x+)?`, so that a match prefers what Go prefers.
    private mutating func compileRepetition(_ body: RE2Node, min: Int, max: Int?, greedy: Bool) -> Bool {
        if max == nil {
            for _ in 0..<Swift.max(min - 1, 0) { guard compile(body) else { return false } }
            if min == 0 && !Self.canMatchEmpty(body) {
                // loop: split(body, out); body; jump loop
                let loop = emit(.split)
                guard compile(body) else { return false }
                emit(.jump, loop)
                patchSplit(loop, body: loop + 1, out: instructions.count, greedy: greedy)
                return true
            }
            let quest = min == 0 ? emit(.split) : nil
            let start = instructions.count
            guard compile(body) else { return false }
            let again = emit(.split)
            patchSplit(again, body: start, out: instructions.count, greedy: greedy)
            if let quest { patchSplit(quest, body: start, out: instructions.count, greedy: greedy) }
            return true
        }
        for _ in 0..<min { guard compile(body) else { return false } }
        var optionals: [Int] = []
        for _ in min..<max! {
            optionals.append(emit(.split))
            guard compile(body) else { return false }
        }
        for split in optionals { patchSplit(split, body: split + 1, out: instructions.count, greedy: greedy) }
        return true
    }

    private mutating func patchSplit(_ at: Int, body: Int, out: Int, greedy: Bool) {
        patch(at, argument: greedy ? body : out, alternative: greedy ? out : body)
    }

    private mutating func emitClass(_ set: RE2RuneClass) {
        let ranges = set.ranges
        if ranges.count == 1, ranges[0].lowerBound == ranges[0].upperBound, ranges[0].lowerBound < 0x80 {
            emit(.byte, Int(ranges[0].lowerBound))
        } else if ranges.count == 2, ranges.allSatisfy({ $0.lowerBound == $0.upperBound }),
                  case let (upper, lower) = (ranges[0].lowerBound, ranges[1].lowerBound),
                  (0x41...0x5A).contains(upper), lower == upper | 0x20 {
            emit(.foldedByte, Int(lower))
        } else {
            classes.append(set)
            emit(.runeClass, classes.count - 1)
        }
    }

    static func canMatchEmpty(_ node: RE2Node) -> Bool {
        switch node {
        case .empty, .assertion: true
        case .literal(let bytes): bytes.isEmpty
        case .runeClass: false
        case .concatenation(let items): items.allSatisfy(canMatchEmpty)
        case .alternation(let branches): branches.contains(where: canMatchEmpty)
        case .repetition(let body, let min, _, _): min == 0 || canMatchEmpty(body)
        case .capture(let body, _, _): canMatchEmpty(body)
        }
    }

    /// The literal bytes after the leading saves, and else the class of the
    /// first scalar, when a match must start with them.
    private mutating func findPrefix() {
        var pc = 0
        while instructions[pc].operation == .save { pc += 1 }
        while instructions[pc].operation == .byte {
            prefix.append(UInt8(instructions[pc].argument))
            pc += 1
        }
        guard prefix.isEmpty else { return }
        let first = instructions[pc]
        switch first.operation {
        case .foldedByte:
            let lower = UInt32(first.argument)
            firstASCIIMask = RE2RuneClass([lower...lower, (lower ^ 0x20)...(lower ^ 0x20)]).asciiMask
        case .runeClass where !classes[Int(first.argument)].hasNonASCII:
            firstASCIIMask = classes[Int(first.argument)].asciiMask
        default: break
        }
    }
}
