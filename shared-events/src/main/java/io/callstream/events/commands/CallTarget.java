package io.callstream.events.commands;

/**
 * Who a command calls or acts on: exactly one of a phone number or an ACS user.
 *
 * @param phoneNumber an E.164 phone number, e.g. {@code +14255550123}
 * @param communicationUserId an ACS user id, e.g. {@code 8:acs:<resource>_<user>}
 */
public record CallTarget(String phoneNumber, String communicationUserId) {

    /** A phone-number target. */
    public static CallTarget phone(String e164) {
        return new CallTarget(e164, null);
    }

    /** An ACS user target. */
    public static CallTarget user(String communicationUserId) {
        return new CallTarget(null, communicationUserId);
    }

    /** Whether this target is a PSTN phone number. */
    public boolean isPhoneNumber() {
        return phoneNumber != null;
    }

    /** The ACS raw id: {@code 4:+E164} for a phone number, the user id itself for an ACS user. */
    public String rawId() {
        return isPhoneNumber() ? "4:" + phoneNumber : communicationUserId;
    }
}
