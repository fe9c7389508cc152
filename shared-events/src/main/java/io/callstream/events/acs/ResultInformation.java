package io.callstream.events.acs;

/**
 * The {@code resultInformation} object of a Call Automation callback: an HTTP-like code, an ACS
 * subCode and a message (see RESULT-CODES.md). Absent on older payload versions.
 *
 * @param code HTTP-like status, e.g. 200, 487
 * @param subCode ACS subcode, e.g. 7000, 5234
 * @param message free text from the service
 */
public record ResultInformation(Integer code, Integer subCode, String message) {
}
