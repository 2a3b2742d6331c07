/// The HTTP API's version prefix: every route but the page, health and metrics is under `/v1`.
public enum APIVersion {
    public static let prefix = "v1"
}
