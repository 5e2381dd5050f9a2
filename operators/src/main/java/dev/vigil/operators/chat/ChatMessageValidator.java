package dev.vigil.operators.chat;

import dev.vigil.operators.ingest.RecordValidator;
import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.operators.validation.Validated;
import dev.vigil.schema.chat.ChatMessage;
import org.apache.flink.util.Preconditions;

/**
 * Checks a decoded {@link ChatMessage} before it reaches the encoder. Rejections become dead letters with these codes
 * (never with the text in the detail):
 *
 * <ul>
 *   <li>{@value ReasonCodes#MISSING_FIELD}: no message or conversation id;
 *   <li>{@value #EMPTY_MESSAGE}: the text is empty or only whitespace;
 *   <li>{@value #OVERSIZED_MESSAGE}: the text is longer than {@code maxChars} characters;
 *   <li>{@value #BAD_ENCODING}: the text was not valid UTF-8 (Avro decodes malformed bytes to U+FFFD, the replacement
 *       character) or holds control characters other than tab and line breaks.
 * </ul>
 */
public final class ChatMessageValidator implements RecordValidator<ChatMessage> {

    private static final long serialVersionUID = 1L;

    public static final String EMPTY_MESSAGE = "EMPTY_MESSAGE";
    public static final String OVERSIZED_MESSAGE = "OVERSIZED_MESSAGE";
    public static final String BAD_ENCODING = "BAD_ENCODING";

    private final int maxChars;

    /** @param maxChars longest text accepted, at least 1 */
    public ChatMessageValidator(int maxChars) {
        Preconditions.checkArgument(maxChars >= 1, "maxChars must be at least 1, got %s", maxChars);
        this.maxChars = maxChars;
    }

    @Override
    public Validated<ChatMessage> validate(ChatMessage m, long nowMillis) {
        if (isBlank(m.getMessageId()) || isBlank(m.getConversationId()) || m.getSentAt() == null) {
            return Validated.rejected(ReasonCodes.MISSING_FIELD, "messageId, conversationId or sentAt is missing");
        }
        String text = m.getText();
        if (text == null || text.isBlank()) {
            return Validated.rejected(EMPTY_MESSAGE, "the text is empty");
        }
        if (text.length() > maxChars) {
            return Validated.rejected(OVERSIZED_MESSAGE,
                    "the text has " + text.length() + " characters, more than " + maxChars);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
                return Validated.rejected(BAD_ENCODING, String.format(
                        "character %d is %s", i, c == '\uFFFD' ? "U+FFFD (malformed UTF-8)" : "a control character"));
            }
        }
        return Validated.accepted(m);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
