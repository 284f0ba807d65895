/// Natural ("version") string order used by `sort_by_label`: digit runs
/// compare numerically, everything else byte-wise.
enum PromQLNaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var ei = i, ej = j
                while ei < x.count && isDigit(x[ei]) { ei += 1 }
                while ej < y.count && isDigit(y[ej]) { ej += 1 }
                // Compare without leading zeros: longer run is bigger.
                let ra = x[i..<ei].drop { $0 == 48 }, rb = y[j..<ej].drop { $0 == 48 }
                if ra.count != rb.count { return ra.count < rb.count }
                if !ra.elementsEqual(rb) { return ra.lexicographicallyPrecedes(rb) }
                i = ei
                j = ej
            } else {
                if x[i] != y[j] { return x[i] < y[j] }
                i += 1
                j += 1
            }
        }
        return x.count - i < y.count - j
    }
}
