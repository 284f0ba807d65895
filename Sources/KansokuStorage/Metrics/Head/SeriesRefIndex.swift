import KansokuModel

/// The head's series references by label set, looked up for every sample
/// written. Keyed by the label set's fingerprint, an integer, so a lookup
/// hashes 8 bytes and copies no label set out of the table (copies touch
/// reference counts shared with the decoding threads); the labels of the
/// series found are then compared, so a fingerprint collision only sends
/// the later series to a second table keyed by the full label set.
struct SeriesRefIndex {
    private var byFingerprint = FingerprintTable()
    private var colliding: [SeriesLabels: UInt32] = [:]

    /// The reference of the series labelled `labels`; `isLabelled` tells
    /// whether a reference's series has exactly those labels.
    @inline(__always)
    func reference(for labels: SeriesLabels, isLabelled: (UInt32) -> Bool) -> UInt32? {
        guard let ref = byFingerprint[labels.fingerprint] else { return nil }
        if isLabelled(ref) { return ref }
        return colliding.isEmpty ? nil : colliding[labels]
    }

    /// Records a new series; `labels` must not be indexed yet.
    mutating func insert(_ labels: SeriesLabels, ref: UInt32) {
        if byFingerprint[labels.fingerprint] == nil {
            byFingerprint.set(labels.fingerprint, ref)
        } else {
            colliding[labels] = ref
        }
    }
}
