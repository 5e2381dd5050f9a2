package dev.vigil.operators.chat;

/**
 * A chat message after the encoder: its ids and times, its unit-length sentence embedding and the language
 * heuristic's verdict. The text itself does not travel further. A Flink POJO (public fields, no-arg constructor).
 */
public class EmbeddedMessage {

    public String messageId;
    public String conversationId;
    public long sentAt;
    public long ingestTime;
    /** {@link LanguageHeuristic#isForeign} of the text. */
    public boolean foreign;
    public float[] embedding;
    public String encoderVersion;

    public EmbeddedMessage() {}

    public EmbeddedMessage(String messageId, String conversationId, long sentAt, long ingestTime, boolean foreign,
            float[] embedding, String encoderVersion) {
        this.messageId = messageId;
        this.conversationId = conversationId;
        this.sentAt = sentAt;
        this.ingestTime = ingestTime;
        this.foreign = foreign;
        this.embedding = embedding;
        this.encoderVersion = encoderVersion;
    }

    @Override
    public String toString() {
        // No text, no embedding values: ids and sizes only.
        return "EmbeddedMessage{" + messageId + ", d=" + (embedding == null ? 0 : embedding.length) + ", foreign="
                + foreign + '}';
    }
}
