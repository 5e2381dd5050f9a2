package dev.vigil.models.registry;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.registry.StageChange.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stages of the versions of one model name and the append-only history of how they got there. Immutable: every
 * action ({@link #shadow}, {@link #promote}, {@link #retire}, {@link #rollback}) returns a new ledger whose history is
 * this one's plus the entries of the action, or throws {@link IllegalStateException} when the transition is not
 * allowed (see {@link ModelStage}). A registry applies actions atomically, so its stored ledger always satisfies:
 *
 * <ul>
 *   <li>at most one {@link ModelStage#CHAMPION} per name; a promotion retires the previous champion in the same
 *       action;
 *   <li>a rollback retires the champion and restores the champion it replaced; repeated rollbacks walk back the
 *       {@linkplain #championLineage() lineage} of champions, never forward;
 *   <li>a version without an entry is a {@link ModelStage#CANDIDATE}.
 * </ul>
 *
 * <p>{@link #of} replays a stored history and refuses one that these rules could not have produced, so a hand-edited
 * or truncated ledger is found by {@code vigil models verify}.
 *
 * <pre>{@code
 * StageLedger ledger = StageLedger.empty("fraud")
 *         .promote(1, now, "alice", "bootstrap model")
 *         .shadow(2, now, "retrain-trigger", "drift on error/fraud")
 *         .promote(2, now, "promotion-gate", "log loss -0.012 [-0.020, -0.004]");
 * ledger.champion();            // 2
 * ledger.rollback(now, "bob", "recall dropped").champion();   // 1
 * }</pre>
 */
public final class StageLedger {

    private final String name;
    private final List<StageChange> history;
    private final Map<Long, ModelStage> stages;
    private final List<Long> lineage;

    private StageLedger(String name, List<StageChange> history, Map<Long, ModelStage> stages, List<Long> lineage) {
        this.name = name;
        this.history = history;
        this.stages = stages;
        this.lineage = lineage;
    }

    /** The ledger of a name no stage change was recorded for: every version is a candidate. */
    public static StageLedger empty(String name) {
        return new StageLedger(ModelRegistry.checkName(name), List.of(), Map.of(), List.of());
    }

    /**
     * The ledger with {@code history}, replayed from {@link #empty}.
     *
     * @throws IllegalArgumentException if the history is not one that the actions of this class produce
     */
    public static StageLedger of(String name, List<StageChange> history) {
        StageLedger ledger = empty(name);
        List<StageChange> entries = List.copyOf(checkNotNull(history, "history"));
        int i = 0;
        while (i < entries.size()) {
            StageChange first = entries.get(i);
            int end = i + 1;
            while (end < entries.size() && entries.get(end).sequence() == first.sequence()) {
                end++;
            }
            List<StageChange> action = entries.subList(i, end);
            StageChange last = action.get(action.size() - 1);
            StageLedger next;
            try {
                checkArgument(first.sequence() == ledger.lastSequence() + 1,
                        "entry %s follows action %s", first.sequence(), ledger.lastSequence());
                next = ledger.apply(last.action(), last.version(), last.at(), last.actor(), last.reason());
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "stage history of " + name + " is invalid at action " + first.sequence() + ": " + e.getMessage(),
                        e);
            }
            List<StageChange> expected = next.history.subList(ledger.history.size(), next.history.size());
            if (!expected.equals(action)) {
                throw new IllegalArgumentException("stage history of " + name + " is invalid at action "
                        + first.sequence() + ": expected " + expected + " but found " + action);
            }
            ledger = next;
            i = end;
        }
        return ledger;
    }

    public String name() {
        return name;
    }

    /** Every stage change, oldest first. */
    public List<StageChange> history() {
        return history;
    }

    /** The stage changes of {@code version}, oldest first. */
    public List<StageChange> history(long version) {
        List<StageChange> out = new ArrayList<>();
        for (StageChange c : history) {
            if (c.version() == version) {
                out.add(c);
            }
        }
        return out;
    }

    /** The stage of {@code version}: {@link ModelStage#CANDIDATE} when no change was recorded for it. */
    public ModelStage stage(long version) {
        return stages.getOrDefault(version, ModelStage.CANDIDATE);
    }

    /** Stages of the versions that have a recorded change, by version. */
    public Map<Long, ModelStage> stages() {
        return stages;
    }

    /** The champion, if one was promoted and not rolled back to nothing. */
    public OptionalLong champion() {
        return lineage.isEmpty() ? OptionalLong.empty() : OptionalLong.of(lineage.get(lineage.size() - 1));
    }

    /** The version a {@link #rollback} would restore. */
    public OptionalLong previousChampion() {
        return lineage.size() < 2 ? OptionalLong.empty() : OptionalLong.of(lineage.get(lineage.size() - 2));
    }

    /**
     * The champions that replaced one another and were not rolled back, oldest first; the last is the champion.
     */
    public List<Long> championLineage() {
        return lineage;
    }

    /** Sequence number of the last action, 0 when there is none. */
    public long lastSequence() {
        return history.isEmpty() ? 0 : history.get(history.size() - 1).sequence();
    }

    /** Whether this ledger's history starts with all of {@code older}'s (the history is append-only). */
    public boolean extendsHistoryOf(StageLedger older) {
        return name.equals(older.name)
                && history.size() >= older.history.size()
                && history.subList(0, older.history.size()).equals(older.history);
    }

    /**
     * The versions whose stage {@code next} changes beyond this ledger, for a registry to check they are published.
     *
     * @throws IllegalArgumentException unless {@code next} is of the same name and extends this history
     */
    public Set<Long> versionsChangedBy(StageLedger next) {
        checkNotNull(next, "next");
        checkArgument(next.extendsHistoryOf(this),
                "a stage update of %s must append to its history (%s actions), not rewrite it", name, lastSequence());
        Set<Long> out = new TreeSet<>();
        for (StageChange c : next.history.subList(history.size(), next.history.size())) {
            out.add(c.version());
        }
        return out;
    }

    /** A candidate starts scoring in shadow. */
    public StageLedger shadow(long version, Instant at, String actor, String reason) {
        return apply(Action.SHADOW, version, at, actor, reason);
    }

    /** A candidate or shadow version becomes the champion; the champion, if any, is retired. */
    public StageLedger promote(long version, Instant at, String actor, String reason) {
        return apply(Action.PROMOTE, version, at, actor, reason);
    }

    /** A candidate or shadow version is retired without serving. */
    public StageLedger retire(long version, Instant at, String actor, String reason) {
        return apply(Action.RETIRE, version, at, actor, reason);
    }

    /** The champion is retired and the champion it replaced ({@link #previousChampion()}) serves again. */
    public StageLedger rollback(Instant at, String actor, String reason) {
        return apply(Action.ROLLBACK, 0, at, actor, reason);
    }

    private StageLedger apply(Action action, long version, Instant at, String actor, String reason) {
        checkNotNull(at, "at");
        long sequence = lastSequence() + 1;
        List<StageChange> added = new ArrayList<>(2);
        List<Long> newLineage = new ArrayList<>(lineage);
        switch (action) {
            case SHADOW -> {
                requireStage(version, action, ModelStage.CANDIDATE);
                added.add(new StageChange(sequence, at, action, version, ModelStage.CANDIDATE, ModelStage.SHADOW,
                        actor, reason));
            }
            case RETIRE -> {
                ModelStage from = requireStage(version, action, ModelStage.CANDIDATE, ModelStage.SHADOW);
                added.add(new StageChange(sequence, at, action, version, from, ModelStage.RETIRED, actor, reason));
            }
            case PROMOTE -> {
                ModelStage from = requireStage(version, action, ModelStage.CANDIDATE, ModelStage.SHADOW);
                OptionalLong champion = champion();
                if (champion.isPresent()) {
                    added.add(new StageChange(sequence, at, action, champion.getAsLong(), ModelStage.CHAMPION,
                            ModelStage.RETIRED, actor, reason));
                }
                added.add(new StageChange(sequence, at, action, version, from, ModelStage.CHAMPION, actor, reason));
                newLineage.add(version);
            }
            case ROLLBACK -> {
                OptionalLong champion = champion();
                OptionalLong previous = previousChampion();
                if (champion.isEmpty() || previous.isEmpty()) {
                    throw new IllegalStateException("cannot roll back " + name + ": "
                            + (champion.isEmpty() ? "it has no champion" : "champion " + name + ':'
                                    + champion.getAsLong() + " replaced no earlier champion"));
                }
                added.add(new StageChange(sequence, at, action, champion.getAsLong(), ModelStage.CHAMPION,
                        ModelStage.RETIRED, actor, reason));
                added.add(new StageChange(sequence, at, action, previous.getAsLong(), ModelStage.RETIRED,
                        ModelStage.CHAMPION, actor, reason));
                newLineage.remove(newLineage.size() - 1);
            }
            default -> throw new IllegalStateException("unknown action " + action);
        }
        List<StageChange> newHistory = new ArrayList<>(history.size() + added.size());
        newHistory.addAll(history);
        newHistory.addAll(added);
        Map<Long, ModelStage> newStages = new TreeMap<>(stages);
        for (StageChange c : added) {
            newStages.put(c.version(), c.to());
        }
        return new StageLedger(name, Collections.unmodifiableList(newHistory), Collections.unmodifiableMap(newStages),
                Collections.unmodifiableList(newLineage));
    }

    private ModelStage requireStage(long version, Action action, ModelStage... allowed) {
        checkArgument(version >= 1, "version must be at least 1, got %s", version);
        ModelStage current = stage(version);
        for (ModelStage s : allowed) {
            if (s == current) {
                return current;
            }
        }
        throw new IllegalStateException("cannot " + action.name().toLowerCase(java.util.Locale.ROOT) + ' ' + name + ':'
                + version + ": it is " + current + (allowed.length == 1 ? ", not " + allowed[0]
                        : ", not " + allowed[0] + " or " + allowed[1]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageLedger other && name.equals(other.name) && history.equals(other.history);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, history);
    }

    @Override
    public String toString() {
        return "StageLedger{" + name + ", champion=" + champion() + ", stages=" + stages + ", actions="
                + lastSequence() + '}';
    }
}
