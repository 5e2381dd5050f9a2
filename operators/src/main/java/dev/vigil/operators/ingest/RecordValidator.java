package dev.vigil.operators.ingest;

import dev.vigil.operators.validation.Validated;
import java.io.Serializable;

/** Semantic validation of a decoded record; returns the (possibly normalized) record or a rejection. */
@FunctionalInterface
public interface RecordValidator<T> extends Serializable {

    /**
     * @param record the decoded record, never null
     * @param nowMillis the processing-time clock, for plausibility checks of event times
     */
    Validated<T> validate(T record, long nowMillis);
}
