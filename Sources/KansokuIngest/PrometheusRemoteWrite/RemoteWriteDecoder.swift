import KansokuModel

/// Decodes a Prometheus remote-write 1.0 `prometheus.WriteRequest` (the
/// snappy-decompressed body) straight from protobuf wire bytes into the model.
///
/// Field numbers (prompb/remote.proto, types.proto):
/// `WriteRequest { timeseries = 1; metadata = 3 }`,
/// `TimeSeries { labels = 1; samples = 2; exemplars = 3; histograms = 4 }`,
/// `Label { name = 1; value = 2 }`, `Sample { value = 1 (double); timestamp = 2 (int64) }`,
/// `Exemplar { labels = 1; value = 2; timestamp = 3 }`, `Histogram` (see
/// `RemoteWriteDecodingState+Histogram.swift`),
/// `MetricMetadata { type = 1; metric_family_name = 2; help = 4; unit = 5 }`.
///
/// Malformed protobuf, a known field with the wrong wire type, or a string
/// that is not UTF-8 fails the whole request. A series whose labels are not a
/// valid identity is rejected alone, as Prometheus's handler does: no labels,
/// no (or an empty) `__name__`, an empty label name, or a repeated label name.
/// Metric and label names may be any UTF-8 (Prometheus 3 validation).
/// Labels are sorted by name (byte order); labels with empty values are
/// dropped.
///
/// Native histograms become ``HistogramSample``s with absolute float bucket
/// counts (an integer histogram's deltas are added up). One that fails
/// Prometheus's validation (``RemoteWriteHistogramProblem``: bad schema,
/// spans not matching the buckets, negative counts, custom bounds not
/// ascending, …) refuses its series alone, with the reason, like bad labels.
enum RemoteWriteDecoder {
    /// - Parameter labelCache: label sets decoded by earlier requests, reused
    ///   when a series' label bytes are the same (see ``RemoteWriteLabelCache``).
    static func decode(_ bytes: UnsafeRawBufferPointer,
                       labelCache: RemoteWriteLabelCache? = nil) throws(RemoteWriteDecodingError) -> RemoteWriteRequest {
        var state = RemoteWriteDecodingState()
        do throws(ProtobufWireError) {
            try state.decodeRequest(bytes, labelCache: labelCache)
        } catch {
            throw RemoteWriteDecodingError(offset: error.offset, context: state.context.description, reason: error.reason)
        }
        return RemoteWriteRequest(batch: state.batch, rejected: state.rejected)
    }
}
