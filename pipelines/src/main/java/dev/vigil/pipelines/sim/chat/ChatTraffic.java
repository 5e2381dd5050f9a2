package dev.vigil.pipelines.sim.chat;

import dev.vigil.operators.chat.ChatMessageValidator;
import dev.vigil.operators.chat.TriageClass;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.schema.chat.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Chat traffic for the job's tests and the demo: {@link ChatMessage} records built from labelled corpus examples (the
 * label stays on this side, for scoring the decisions and writing agent feedback), and invalid records for each
 * dead-letter reason.
 */
public final class ChatTraffic {

    /** A message and the class an agent would give it. */
    public record LabelledMessage(ChatMessage message, TriageClass label) {}

    /** The invalid inputs and the reason code the job must give each. */
    public enum Defect {
        DECODE_ERROR(ReasonCodes.DECODE_ERROR),
        EMPTY_MESSAGE(ChatMessageValidator.EMPTY_MESSAGE),
        OVERSIZED_MESSAGE(ChatMessageValidator.OVERSIZED_MESSAGE),
        BAD_ENCODING(ChatMessageValidator.BAD_ENCODING);

        private final String reason;

        Defect(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private static final AvroCodec<ChatMessage> CODEC = AvroCodec.of(ChatMessage.class);

    private ChatTraffic() {}

    /**
     * One message per example, in a seeded shuffled order, ids {@code <prefix>-<n>}, one conversation per 3 messages,
     * sent one every {@code spacingMillis} from {@code start}.
     */
    public static List<LabelledMessage> messages(List<ChatCorpus.Example> examples, String prefix, long start,
            long spacingMillis, long seed) {
        List<ChatCorpus.Example> order = new ArrayList<>(examples);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            ChatCorpus.Example t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        List<LabelledMessage> out = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            ChatCorpus.Example e = order.get(i);
            ChatMessage m = ChatMessage.newBuilder()
                    .setMessageId(String.format(Locale.ROOT, "%s-%05d", prefix, i))
                    .setConversationId(String.format(Locale.ROOT, "%s-c%04d", prefix, i / 3))
                    .setChannel("portal")
                    .setSentAt(Instant.ofEpochMilli(start + i * spacingMillis))
                    .setText(e.text())
                    .build();
            out.add(new LabelledMessage(m, e.label()));
        }
        return out;
    }

    public static byte[] encode(ChatMessage message) {
        return CODEC.encode(message);
    }

    /** {@code perDefect} invalid records of every {@link Defect}, keyed by conversation id. */
    public static List<BadRecord<Defect>> badRecords(long seed, int perDefect, int maxChars, long sentAt) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<BadRecord<Defect>> out = new ArrayList<>();
        for (int v = 0; v < perDefect; v++) {
            String key = "bad-c" + v;
            ChatMessage valid = message("bad-" + v, key, sentAt, "Can I move my appointment to Friday, señor?");
            byte[] validBytes = CODEC.encode(valid);
            out.add(BadRecord.undecodable(key, validBytes, Defect.DECODE_ERROR, v, rng, ChatTraffic::decodes));
            out.add(new BadRecord<>(key, CODEC.encode(message("empty-" + v, key, sentAt, v % 2 == 0 ? "" : "  \n ")),
                    Defect.EMPTY_MESSAGE, "empty text"));
            out.add(new BadRecord<>(key, CODEC.encode(message("long-" + v, key, sentAt, "help ".repeat(maxChars))),
                    Defect.OVERSIZED_MESSAGE, "text longer than the limit"));
            out.add(new BadRecord<>(key, malformedUtf8(validBytes), Defect.BAD_ENCODING, "malformed UTF-8 in text"));
        }
        return out;
    }

    /** {@code valid} with the second byte of its "ñ" (0xC3 0xB1) replaced by one that cannot follow 0xC3. */
    private static byte[] malformedUtf8(byte[] valid) {
        byte[] bytes = valid.clone();
        byte[] n = "ñ".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == n[0] && bytes[i + 1] == n[1]) {
                bytes[i + 1] = '(';
                return bytes;
            }
        }
        throw new IllegalStateException("no ñ in the record");
    }

    private static boolean decodes(byte[] bytes) {
        try {
            CODEC.decode(bytes);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static ChatMessage message(String id, String conversation, long sentAt, String text) {
        return ChatMessage.newBuilder()
                .setMessageId(id)
                .setConversationId(conversation)
                .setSentAt(Instant.ofEpochMilli(sentAt))
                .setText(text)
                .build();
    }
}
