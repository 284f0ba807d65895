import Foundation

/// The media type of a `Content-Type` header: lower-cased, parameters such as
/// `charset` dropped, "" for an empty or missing header.
enum MediaType {
    static func of(_ contentType: String?) -> String {
        guard let contentType, let first = contentType.split(separator: ";", omittingEmptySubsequences: false).first else {
            return ""
        }
        return first.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
