package io.callstream.command.acs;

/**
 * ACS refused a request ({@code status} 4xx/5xx with its {@code CommunicationErrorResponse}), or
 * gave no HTTP answer that could be read ({@code status} 0, code {@code RequestFailed}).
 */
public class AcsRequestException extends RuntimeException {

    private final int status;
    private final String code;

    /**
     * @param status the HTTP status, or 0 when no response came
     * @param code ACS's {@code error.code}, or the status as text when the body had none
     * @param message ACS's {@code error.message}, or what went wrong
     */
    public AcsRequestException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
