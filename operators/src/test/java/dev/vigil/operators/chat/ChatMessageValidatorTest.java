package dev.vigil.operators.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.operators.validation.Validated;
import dev.vigil.schema.chat.ChatMessage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatMessageValidatorTest {

    private final ChatMessageValidator validator = new ChatMessageValidator(20);

    @Test
    void acceptsAnOrdinaryMessage() {
        assertThat(validator.validate(message("Where is the lab?\n"), 0).isAccepted()).isTrue();
    }

    @Test
    void rejectsEachDefectWithItsReasonAndWithoutTheText() {
        assertReason(message(""), ChatMessageValidator.EMPTY_MESSAGE);
        assertReason(message(" \t\n"), ChatMessageValidator.EMPTY_MESSAGE);
        assertReason(message("x".repeat(21)), ChatMessageValidator.OVERSIZED_MESSAGE);
        assertReason(message("bad \uFFFD byte"), ChatMessageValidator.BAD_ENCODING);
        assertReason(message("bell \u0007"), ChatMessageValidator.BAD_ENCODING);
        ChatMessage noId = message("hello");
        noId.setMessageId("");
        assertReason(noId, ReasonCodes.MISSING_FIELD);
        Validated<ChatMessage> secret = validator.validate(message("secret \uFFFD"), 0);
        assertThat(secret.rejection().detail()).doesNotContain("secret");
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatThrownBy(() -> new ChatMessageValidator(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private void assertReason(ChatMessage m, String reason) {
        Validated<ChatMessage> v = validator.validate(m, 0);
        assertThat(v.isAccepted()).isFalse();
        assertThat(v.rejection().reasonCode()).isEqualTo(reason);
    }

    private static ChatMessage message(String text) {
        return ChatMessage.newBuilder().setMessageId("m1").setConversationId("c1")
                .setSentAt(Instant.EPOCH).setText(text).build();
    }
}
