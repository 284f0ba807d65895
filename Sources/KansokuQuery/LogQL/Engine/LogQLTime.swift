/// Time helpers shared by the engine.
enum LogQLTime {
    /// Go's `time.Time.String()` of a UTC time, `2025-06-02 11:59:35.001204774 +0000 UTC`
    /// (fraction trimmed, omitted when zero): what Loki's `__timestamp__`
    /// prints in a template when Loki runs in UTC.
    static func goString(_ ns: Int64) -> String {
        let text = rfc3339(ns)  // YYYY-MM-DDTHH:MM:SS[.fffffffff]Z
        guard let t = text.firstIndex(of: "T") else { return text }
        return text[..<t] + " " + text[text.index(after: t)...].dropLast() + " +0000 UTC"
    }

    /// Formats nanoseconds since the epoch as RFC 3339 UTC with nanoseconds
    /// trimmed like Go's `time.RFC3339Nano`.
    static func rfc3339(_ ns: Int64) -> String {
        let seconds = ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000
        let fraction = ns - seconds * 1_000_000_000
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil-from-days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if fraction > 0 {
            var digits = pad(fraction, 9)
            while digits.last == "0" { digits.removeLast() }
            out += "." + digits
        }
        return out + "Z"
    }
}
