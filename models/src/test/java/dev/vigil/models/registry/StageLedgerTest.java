package dev.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.registry.StageChange.Action;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StageLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static Instant t(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    @Test
    void everyVersionStartsAsACandidateAndThereIsNoChampion() {
        StageLedger ledger = StageLedger.empty("fraud");

        assertThat(ledger.stage(1)).isEqualTo(ModelStage.CANDIDATE);
        assertThat(ledger.champion()).isEmpty();
        assertThat(ledger.previousChampion()).isEmpty();
        assertThat(ledger.lastSequence()).isZero();
        assertThat(ledger.history()).isEmpty();
    }

    @Test
    void aPromotionRetiresThePreviousChampionInTheSameAction() {
        StageLedger ledger = StageLedger.empty("fraud")
                .promote(1, t(0), "alice", "bootstrap")
                .shadow(2, t(1), "retrain-trigger", "drift")
                .promote(2, t(2), "promotion-gate", "better by 0.012");

        assertThat(ledger.champion()).isEqualTo(OptionalLong.of(2));
        assertThat(ledger.stages()).containsExactly(Map.entry(1L, ModelStage.RETIRED),
                Map.entry(2L, ModelStage.CHAMPION));
        assertThat(ledger.championLineage()).containsExactly(1L, 2L);
        List<StageChange> last = ledger.history().subList(2, 4);
        assertThat(last).containsExactly(
                new StageChange(3, t(2), Action.PROMOTE, 1, ModelStage.CHAMPION, ModelStage.RETIRED,
                        "promotion-gate", "better by 0.012"),
                new StageChange(3, t(2), Action.PROMOTE, 2, ModelStage.SHADOW, ModelStage.CHAMPION,
                        "promotion-gate", "better by 0.012"));
        assertThat(ledger.history(1)).extracting(StageChange::to)
                .containsExactly(ModelStage.CHAMPION, ModelStage.RETIRED);
    }

    @Test
    void rollbacksWalkTheLineageOfChampionsBackwardsAndNeverPingPong() {
        StageLedger ledger = StageLedger.empty("icu")
                .promote(1, t(0), "a", "")
                .promote(2, t(1), "a", "")
                .retire(3, t(2), "gate", "worse than the champion")
                .promote(4, t(3), "a", "");

        StageLedger once = ledger.rollback(t(4), "bob", "recall dropped");
        assertThat(once.champion()).isEqualTo(OptionalLong.of(2));
        assertThat(once.stage(4)).isEqualTo(ModelStage.RETIRED);
        assertThat(once.previousChampion()).isEqualTo(OptionalLong.of(1));

        StageLedger twice = once.rollback(t(5), "bob", "still bad");
        assertThat(twice.champion()).isEqualTo(OptionalLong.of(1));
        assertThat(twice.stages()).containsEntry(2L, ModelStage.RETIRED).containsEntry(3L, ModelStage.RETIRED)
                .containsEntry(4L, ModelStage.RETIRED);
        assertThatThrownBy(() -> twice.rollback(t(6), "bob", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot roll back icu: champion icu:1 replaced no earlier champion");
        assertThat(ledger).isNotEqualTo(once); // actions return new ledgers
        assertThat(ledger.champion()).isEqualTo(OptionalLong.of(4));
    }

    @Test
    void refusesTransitionsTheLifeCycleDoesNotAllow() {
        StageLedger ledger = StageLedger.empty("icu").promote(1, t(0), "a", "").retire(2, t(1), "a", "");

        assertThatThrownBy(() -> ledger.promote(1, t(2), "a", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot promote icu:1: it is CHAMPION, not CANDIDATE or SHADOW");
        assertThatThrownBy(() -> ledger.promote(2, t(2), "a", ""))
                .hasMessage("cannot promote icu:2: it is RETIRED, not CANDIDATE or SHADOW");
        assertThatThrownBy(() -> ledger.shadow(2, t(2), "a", ""))
                .hasMessage("cannot shadow icu:2: it is RETIRED, not CANDIDATE");
        assertThatThrownBy(() -> ledger.retire(1, t(2), "a", ""))
                .hasMessage("cannot retire icu:1: it is CHAMPION, not CANDIDATE or SHADOW");
        assertThatThrownBy(() -> StageLedger.empty("icu").rollback(t(0), "a", ""))
                .hasMessage("cannot roll back icu: it has no champion");
        assertThatThrownBy(() -> ledger.promote(3, t(2), " ", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replayingAHistoryGivesTheSameLedgerAndAnInventedHistoryIsRefused() {
        StageLedger ledger = StageLedger.empty("icu")
                .promote(1, t(0), "a", "x").promote(2, t(1), "b", "y").rollback(t(2), "c", "z");

        assertThat(StageLedger.of("icu", ledger.history())).isEqualTo(ledger);
        assertThat(StageLedger.of("icu", ledger.history()).champion()).isEqualTo(OptionalLong.of(1));

        // Two champions: version 2 promoted without retiring version 1.
        List<StageChange> twoChampions = new ArrayList<>(ledger.history().subList(0, 1));
        twoChampions.add(new StageChange(2, t(1), Action.PROMOTE, 2, ModelStage.CANDIDATE, ModelStage.CHAMPION, "b",
                "y"));
        assertThatThrownBy(() -> StageLedger.of("icu", twoChampions))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid at action 2");
        // A gap in the sequence: an action was cut out.
        List<StageChange> gap = new ArrayList<>(ledger.history());
        gap.remove(1);
        gap.remove(1);
        assertThatThrownBy(() -> StageLedger.of("icu", gap)).hasMessageContaining("invalid at action 3");
    }

    @Test
    void anUpdateMustAppendToTheHistory() {
        StageLedger one = StageLedger.empty("icu").promote(1, t(0), "a", "");
        StageLedger two = one.promote(2, t(1), "a", "");
        StageLedger other = StageLedger.empty("icu").promote(2, t(0), "a", "");

        assertThat(one.versionsChangedBy(two)).containsExactly(1L, 2L);
        assertThat(one.versionsChangedBy(one)).isEmpty();
        assertThatThrownBy(() -> two.versionsChangedBy(one)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> one.versionsChangedBy(other)).hasMessageContaining("must append to its history");
    }

    @Test
    void jsonRoundTripsAndATamperedFileIsRefused() throws Exception {
        StageLedger ledger = StageLedger.empty("icu")
                .promote(1, t(0), "alice", "bootstrap").shadow(2, t(1), "trigger", "drift \"error\"")
                .promote(2, t(2), "gate", "");

        byte[] json = StageLedgerJson.write(ledger);
        String text = new String(json, StandardCharsets.UTF_8);

        assertThat(StageLedgerJson.read(json, "icu", "mem")).isEqualTo(ledger);
        assertThat(text).contains("\"champion\" : 2").contains("\"1\" : \"RETIRED\"");
        assertThatThrownBy(() -> StageLedgerJson.read(json, "fraud", "mem"))
                .isInstanceOf(IOException.class).hasMessageContaining("is of 'icu', not 'fraud'");
        byte[] edited = text.replace("\"1\" : \"RETIRED\"", "\"1\" : \"CHAMPION\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StageLedgerJson.read(edited, "icu", "mem"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("states icu:1 is CHAMPION but its history makes it RETIRED");
        byte[] reordered = text.replace("\"to\" : \"SHADOW\"", "\"to\" : \"RETIRED\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StageLedgerJson.read(reordered, "icu", "mem")).isInstanceOf(IOException.class);
    }

    @Test
    void describeAddsTheStageAndTheVersionsOwnHistory() throws Exception {
        ModelVersion v2 = new ModelVersion("icu", 2, "memory://r/icu/2/model.onnx", "ab".repeat(32), 10, t(0), "1",
                Map.of(), Map.of(), Map.of("vigil.training.window.start", "2026-11-24T00:00:00Z",
                        "vigil.code.version", "afcdd12"));
        StageLedger ledger = StageLedger.empty("icu").promote(1, t(0), "a", "").promote(2, t(1), "gate", "better");

        String json = new String(ModelVersionJson.describe(v2, ledger), StandardCharsets.UTF_8);

        assertThat(json).contains("\"stage\" : \"CHAMPION\"").contains("\"uri\" : \"memory://r/icu/2/model.onnx\"")
                .contains("\"actor\" : \"gate\"").contains("\"vigil.code.version\" : \"afcdd12\"");
        assertThat(json.split("\"sequence\"", -1)).hasSize(2); // only version 2's own entry
        assertThat(v2.trainingWindowStart()).contains(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(v2.codeVersion()).contains("afcdd12");
        assertThat(v2.trainingWindowEnd()).isEmpty();
    }
}
