package io.callstream.events.commands;

/**
 * Audio to play (REST 2025-05-15 {@code PlaySource}): exactly one of a file, text to speech, or SSML.
 *
 * @param url a WAV file (mono, 16-bit, 16 kHz), for a file source
 * @param text text to speak, for a text source
 * @param voiceName the neural voice, e.g. {@code en-US-NancyNeural}, for text
 * @param sourceLocale the text's locale, e.g. {@code en-US}
 * @param ssml SSML to speak, for an SSML source
 */
public record PlaySource(String url, String text, String voiceName, String sourceLocale, String ssml) {

    /** The spec's {@code kind}: file, text or ssml. */
    public String kind() {
        return url != null ? "file" : text != null ? "text" : "ssml";
    }
}
