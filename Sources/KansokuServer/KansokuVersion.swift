/// The version `kansoku --version` and build-info endpoints report.
public enum KansokuVersion {
    public static let current = "0.1.0-dev"
}
