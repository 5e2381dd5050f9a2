package dev.vigil.models.registry;

/**
 * Where a published version stands in its model's life cycle. A version is {@link #CANDIDATE} from publication until
 * a {@link StageLedger stage change} moves it; at most one version per model name is {@link #CHAMPION}.
 *
 * <pre>
 *   CANDIDATE ──shadow──▶ SHADOW ──promote──▶ CHAMPION ──(promote another / rollback)──▶ RETIRED
 *       │                    │                                                    │
 *       └──promote / retire──┴──retire──▶ RETIRED ◀───────────────────────────────┘
 *   RETIRED ──rollback──▶ CHAMPION   (only the champion that the rolled-back one replaced)
 * </pre>
 */
public enum ModelStage {
    /** Published, not yet evaluated against live traffic. */
    CANDIDATE,
    /** Scores the live stream beside the champion without affecting outputs. */
    SHADOW,
    /** The version that serves; at most one per model name. */
    CHAMPION,
    /** No longer serves and is not evaluated; a retired former champion can come back through a rollback. */
    RETIRED
}
