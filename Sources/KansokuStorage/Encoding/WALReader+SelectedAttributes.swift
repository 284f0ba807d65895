import KansokuModel

extension WALReader {
    /// Reads an attribute list (the layout ``readAttributes(depth:)`` reads)
    /// but materialises only the attributes whose key is one of `keys` (as
    /// UTF-8), in stored order; the others are stepped over without building
    /// strings or values. For scans that need two or three keys of every
    /// span. Skipped strings are not checked for valid UTF-8 (block sections
    /// are checksummed); anything that does not parse fails as
    /// ``readAttributes(depth:)`` would.
    mutating func readAttributes(selecting keys: [[UInt8]]) throws(WALDecodingError) -> [Attribute] {
        let count = try readCount(minimumElementSize: 2)
        var selected: [Attribute] = []
        for _ in 0..<count {
            let keyStart = offset
            let length = try readCount()
            if keys.contains(where: { nextBytes(length, equal: $0) }) {
                rewind(to: keyStart)
                let key = try readString()
                selected.append(Attribute(key: key, value: try AttributeValue(from: &self, depth: 0)))
            } else {
                try skip(length)
                try skipAttributeValue(depth: 0)
            }
        }
        return selected
    }

    /// Steps over an attribute list (the layout ``readAttributes(depth:)``
    /// reads); keys are not checked for valid UTF-8.
    mutating func skipAttributes() throws(WALDecodingError) {
        let count = try readCount(minimumElementSize: 2)
        for _ in 0..<count {
            try skip(try readCount())
            try skipAttributeValue(depth: 0)
        }
    }

    /// Steps over one encoded attribute value, nested ones included.
    mutating func skipAttributeValue(depth: Int) throws(WALDecodingError) {
        let start = offset
        let tag = try readByte()
        switch tag {
        case WALTag.Value.empty: return
        case WALTag.Value.bool: _ = try readBool()
        case WALTag.Value.int: _ = try readVarInt()
        case WALTag.Value.double: _ = try readFixed64()
        case WALTag.Value.string, WALTag.Value.bytes: try skip(try readCount())
        case WALTag.Value.array, WALTag.Value.keyValueList:
            guard depth < WALFormat.maxNestingDepth else {
                throw failure(.nestingTooDeep(limit: WALFormat.maxNestingDepth), at: start)
            }
            let count = try readCount(minimumElementSize: tag == WALTag.Value.array ? 1 : 2)
            for _ in 0..<count {
                if tag == WALTag.Value.keyValueList { try skip(try readCount()) }
                try skipAttributeValue(depth: depth + 1)
            }
        default:
            throw failure(.invalidTag(field: "attribute value tag", value: UInt64(tag)), at: start)
        }
    }

}
