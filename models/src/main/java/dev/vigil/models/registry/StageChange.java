package dev.vigil.models.registry;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.time.Instant;

/**
 * One entry of a model's append-only stage history ({@link StageLedger}): version {@code version} moved from {@code
 * from} to {@code to}. One {@link Action} may write two entries with the same {@code sequence} (a promotion retires
 * the previous champion, a rollback restores it); they take effect together.
 *
 * @param sequence number of the action within the model's history, from 1; entries of one action share it
 * @param at when the action was applied (the registry's clock)
 * @param action what was asked for
 * @param version the version whose stage changed
 * @param from its stage before
 * @param to its stage after
 * @param actor who asked (a user name, {@code promotion-gate}, ...); never a patient or account identifier
 * @param reason why, free text (may be empty)
 */
public record StageChange(
        long sequence,
        Instant at,
        Action action,
        long version,
        ModelStage from,
        ModelStage to,
        String actor,
        String reason) {

    /** What a stage change was asked as. */
    public enum Action {
        /** A candidate starts scoring in shadow. */
        SHADOW,
        /** A candidate or shadow version becomes champion; the previous champion is retired. */
        PROMOTE,
        /** A candidate or shadow version is retired without serving (e.g. it lost to the champion). */
        RETIRE,
        /** The champion is retired and the champion it replaced serves again. */
        ROLLBACK
    }

    public StageChange {
        checkArgument(sequence >= 1, "sequence must be at least 1, got %s", sequence);
        checkNotNull(at, "at");
        checkNotNull(action, "action");
        checkArgument(version >= 1, "version must be at least 1, got %s", version);
        checkNotNull(from, "from");
        checkNotNull(to, "to");
        checkArgument(from != to, "a stage change must change the stage, got %s -> %s", from, to);
        checkArgument(actor != null && !actor.isBlank(), "actor must not be blank");
        reason = reason == null ? "" : reason;
    }
}
