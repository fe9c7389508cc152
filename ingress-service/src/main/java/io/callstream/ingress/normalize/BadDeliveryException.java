package io.callstream.ingress.normalize;

/** A delivery that is not what its sender's protocol allows; answered with 400 and nothing of it is published. */
public class BadDeliveryException extends RuntimeException {

    public BadDeliveryException(String message) {
        super(message);
    }
}
