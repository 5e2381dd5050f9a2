package dev.vigil.operators.validation;

import java.util.Objects;

/**
 * Why a record was rejected.
 *
 * @param reasonCode one of {@link ReasonCodes}
 * @param detail human-readable detail; never contains patient identifiers or payload values
 */
public record Rejection(String reasonCode, String detail) {

    public Rejection {
        Objects.requireNonNull(reasonCode, "reasonCode");
        detail = detail == null ? "" : detail;
    }
}
