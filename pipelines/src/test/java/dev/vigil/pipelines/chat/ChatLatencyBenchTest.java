package dev.vigil.pipelines.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipelines.chat.ChatLatencyBench.Result;
import dev.vigil.pipelines.chat.ChatLatencyBench.Visible;
import dev.vigil.pipelines.sim.chat.ChatTraffic;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The fixed-rate latency benchmark's bookkeeping: schedule, message ids, joining append times with decisions. */
class ChatLatencyBenchTest {

    @Test
    void scheduleIsFixedRateFromTheStart() {
        assertThat(ChatLatencyBench.dueNanos(1_000, 0, 60)).isEqualTo(1_000);
        assertThat(ChatLatencyBench.dueNanos(1_000, 60, 60)).isEqualTo(1_000_001_000L);
        assertThat(ChatLatencyBench.dueNanos(0, 3, 40)).isEqualTo(75_000_000L);
        assertThat(ChatLatencyBench.count(60, Duration.ofSeconds(60))).isEqualTo(3_600);
        assertThat(ChatLatencyBench.count(0.5, Duration.ofSeconds(1))).isEqualTo(1);
    }

    @Test
    void messagesAreDistinctSeededAndMarkedByPhase() {
        List<String> texts = List.of("my chest hurts", "where is my invoice", "reset my password please");
        List<ChatTraffic.LabelledMessage> a = ChatLatencyBench.messages(texts, ChatLatencyBench.MEASURED_PREFIX, 10,
                60, 3);
        List<ChatTraffic.LabelledMessage> b = ChatLatencyBench.messages(texts, ChatLatencyBench.MEASURED_PREFIX, 10,
                60, 3);
        List<ChatTraffic.LabelledMessage> warm = ChatLatencyBench.messages(texts, ChatLatencyBench.WARMUP_PREFIX, 4,
                60, 3);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).message().getText()).isEqualTo(b.get(i).message().getText());
            assertThat(ChatLatencyBench.isMeasured(a.get(i).message().getMessageId())).isTrue();
            ids.add(a.get(i).message().getMessageId());
        }
        assertThat(ids).hasSize(10);
        assertThat(warm).allSatisfy(m -> assertThat(ChatLatencyBench.isMeasured(m.message().getMessageId()))
                .isFalse());
        assertThat(a.get(1).message().getSentAt().toEpochMilli() - a.get(0).message().getSentAt().toEpochMilli())
                .isEqualTo(17);
    }

    @Test
    void summaryJoinsMeasuredMessagesOnlyAndCountsMissingOnes() {
        Map<String, Long> appended = Map.of(
                "w-00000", 0L,
                "m-00000", 1_000L,
                "m-00001", 1_500L,
                "m-00002", 2_000L);
        List<Visible> decisions = List.of(
                new Visible("w-00000", 50, 400),
                new Visible("m-00001", 1_540, 1_900),
                new Visible("m-00000", 1_020, 1_900),
                new Visible("m-00000", 1_020, 2_900)); // a duplicate counts once, with its first sighting
        Result r = ChatLatencyBench.summarize(2, 3, appended, decisions, 1.0, 2.0);

        assertThat(r.measured()).isEqualTo(2);
        assertThat(r.missing()).isEqualTo(1);
        assertThat(r.achievedRate()).isEqualTo(2.0); // 3 appends over 1 s: 2 intervals per second
        assertThat(r.endToEnd().getTotalCount()).isEqualTo(2);
        assertThat(r.endToEnd().getMaxValue()).isEqualTo(900);
        assertThat(r.endToEnd().getMinValue()).isEqualTo(400);
        assertThat(r.processing().getMaxValue()).isEqualTo(40);
        assertThat(r.processing().getMinValue()).isEqualTo(20);
        assertThat(r.decisionRate()).isCloseTo(1000.0 / 520, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void rateNeedsTwoEvents() {
        assertThat(ChatLatencyBench.rate(1, 0, 1_000)).isZero();
        assertThat(ChatLatencyBench.rate(5, 1_000, 1_000)).isZero();
        assertThat(ChatLatencyBench.rate(61, 0, 1_000)).isEqualTo(60.0);
    }

    @Test
    void registersAsTheLatencySubcommandOfBenchChat() {
        CommandLine cli = new CommandLine(new ChatBenchmark());
        assertThat(cli.getCommandName()).isEqualTo("chat");
        CommandLine latency = cli.getSubcommands().get("latency");
        assertThat(latency).isNotNull();
        cli.parseArgs("latency", "--rate", "42", "--duration", "PT30S");
        ChatLatencyBench bench = latency.getCommand();
        assertThat(bench.rate).isEqualTo(42.0);
        assertThat(bench.duration).isEqualTo(Duration.ofSeconds(30));
        assertThat(bench.warmup).isEqualTo(Duration.ofSeconds(15));
        assertThat(bench.batch).isEqualTo(8);
        assertThat(bench.checkpointInterval).isEqualTo(Duration.ofMillis(500));
    }
}
