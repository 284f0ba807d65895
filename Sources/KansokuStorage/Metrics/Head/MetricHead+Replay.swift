import KansokuModel

/// Replaying the metrics WAL into the head, and what the checkpoint needs from it.
extension MetricHead {
    /// Replays one record of the current layout. Definitions (from the
    /// checkpoint and earlier records) are in `state`; a series is created in
    /// the head only when a record gives it something to hold.
    func replay(_ record: MetricWALRecord, _ state: inout MetricWALReplayState) {
        lock.withWriteLock {
            for family in record.metadata { metadata[family.family] = family }
            for definition in record.definitions { state.define(definition) }
            var start = 0
            for run in record.runs {
                let samples = record.samples[start..<start + run.count]
                start += run.count
                state.noteID(run.walID)
                if state.known[run.walID] == nil {
                    // Series no longer defined anywhere were dropped from the head
                    // when a block took their samples: those samples are expected
                    // to be out of bounds. Anything else is lost, and counted.
                    for sample in samples {
                        if sample.timestamp < minValidTime { state.skipped += 1 } else { state.lostSamples += 1 }
                    }
                    continue
                }
                if case .labels = state.known[run.walID], samples.allSatisfy({ $0.timestamp < minValidTime }) {
                    state.skipped += samples.count  // no need to create a series for nothing
                    continue
                }
                guard let ref = resolve(run.walID, &state) else {
                    state.skipped += samples.count
                    continue
                }
                for sample in samples {
                    if sample.timestamp < minValidTime { state.skipped += 1; continue }
                    // Every logged sample was accepted once, but concurrent requests may
                    // reach the log in another order than the head's: replay takes any order.
                    switch series[Int(ref)].append(sample, outOfOrderWindow: Int64.max) {
                    case .appended: sampleCount += 1
                    case .duplicate: break
                    case .rejected: state.skipped += 1
                    }
                }
            }
            for item in record.histograms {
                state.noteID(item.walID)
                if item.sample.timestamp < minValidTime {
                    state.skipped += 1
                    continue
                }
                guard let ref = resolve(item.walID, &state) else {
                    state.lostSamples += 1
                    continue
                }
                switch series[Int(ref)].append(item.sample, outOfOrderWindow: Int64.max) {
                case .appended: sampleCount += 1
                case .duplicate: break
                case .rejected: state.skipped += 1
                }
            }
            for item in record.exemplars {
                state.noteID(item.walID)
                guard let ref = resolve(item.walID, &state) else {
                    state.lostExemplars += 1
                    continue
                }
                exemplarRing.add(item.exemplar, ref: ref)
                exemplarsSeen = true
            }
        }
    }

    /// The head series a logged id stands for, created (or adopted, if an
    /// older-layout record created it without an id) on first use.
    private func resolve(_ walID: UInt64, _ state: inout MetricWALReplayState) -> UInt32? {
        switch state.known[walID] {
        case nil:
            return nil
        case .ref(let ref):
            return ref
        case .labels(let labels):
            guard case .success(let ref) = reference(for: labels, walID: walID) else { return nil }
            if series[Int(ref)].walID == 0 {
                series[Int(ref)].walID = walID
                series[Int(ref)].logged = true
                refsByWALID[walID] = ref
            }
            state.known[walID] = .ref(ref)
            return ref
        }
    }

    /// Replays a record of the older self-contained layout: like an append,
    /// but the series it creates get their ids in `finishReplay`, once the
    /// largest id in use is known.
    func replayUnreferenced(_ batch: SampleBatch) -> Int {
        lock.withWriteLock { assignsWALIDs = false }
        defer { lock.withWriteLock { assignsWALIDs = true } }
        return append(batch).report.rejectedSamples
    }

    /// Ends replay: new ids start above every id seen, and series created by
    /// older-layout records get one (they are not logged: the next record
    /// naming them defines them).
    func finishReplay(_ state: MetricWALReplayState) {
        lock.withWriteLock {
            nextWALID = max(nextWALID, state.maxWALID &+ 1)
            for index in series.indices where series[index].walID == 0 {
                series[index].walID = nextWALID
                series[index].logged = false
                refsByWALID[nextWALID] = UInt32(index)
                nextWALID += 1
            }
        }
    }

    /// Metadata from the checkpoint, before the records (newer ones replace it).
    func replayMetadata(_ families: [MetricFamilyMetadata]) {
        guard !families.isEmpty else { return }
        lock.withWriteLock { for family in families { metadata[family.family] = family } }
    }

    /// Every series with its WAL id, for the checkpoint.
    func walDefinitions() -> [MetricWALRecord.Definition] {
        lock.withReadLock {
            series.map { MetricWALRecord.Definition(walID: $0.walID, labels: $0.labels) }
        }
    }

    /// The id the next new series gets.
    var nextSeriesWALID: UInt64 { lock.withReadLock { nextWALID } }
}
