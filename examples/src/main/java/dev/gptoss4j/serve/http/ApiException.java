package dev.gptoss4j.serve.http;

/**
 * A request that ends in an error response: the HTTP status and the fields of the JSON error body
 * ({@code {"error": {"message", "type", "param", "code"}}}, the shape OpenAI clients parse).
 *
 * @see HttpHost#writeError
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    public ApiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** 400: the request is wrong; {@code param} names the offending field (or is {@code null}). */
    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", param == null ? null : "invalid_value", param, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "invalid_request_error", "invalid_api_key", null, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, "invalid_request_error", code, null, message);
    }

    public static ApiException busy(String message) {
        return new ApiException(429, "rate_limit_error", "server_busy", null, message);
    }

    public static ApiException server(String code, String message) {
        return new ApiException(500, "server_error", code, null, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
