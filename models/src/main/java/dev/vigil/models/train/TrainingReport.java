package dev.vigil.models.train;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.loss.ClassWeights;
import java.time.Duration;
import java.util.List;

/**
 * What a training run did. Losses are class-weighted mean log losses without the L2 term. The training loss of an
 * epoch is the mean over its minibatches, each measured just before its optimizer step (Keras' convention: no extra
 * pass over the data, but the parameters move while it is measured); the validation loss is evaluated on the whole
 * validation set after the epoch, and its list is empty when no validation set was given.
 *
 * @param epochsRun epochs completed
 * @param bestEpoch the 1-based epoch whose parameters were returned (the last one without a validation set); 0 if
 *     the validation loss never improved on its starting value and the initial parameters were returned
 * @param stoppedEarly whether early stopping ended training before the epoch limit
 * @param trainLoss training loss of each epoch
 * @param validationLoss validation loss after each epoch, or empty
 * @param classWeights the class weights used
 * @param trainRows training rows
 * @param trainPositives training rows with label 1
 * @param validationRows validation rows (0 without a validation set)
 * @param validationPositives validation rows with label 1
 * @param elapsed wall-clock training time
 */
public record TrainingReport(
        int epochsRun,
        int bestEpoch,
        boolean stoppedEarly,
        List<Double> trainLoss,
        List<Double> validationLoss,
        ClassWeights classWeights,
        long trainRows,
        long trainPositives,
        long validationRows,
        long validationPositives,
        Duration elapsed) {

    public TrainingReport {
        trainLoss = List.copyOf(checkNotNull(trainLoss, "trainLoss"));
        validationLoss = List.copyOf(checkNotNull(validationLoss, "validationLoss"));
        checkNotNull(classWeights, "classWeights");
        checkNotNull(elapsed, "elapsed");
        checkArgument(
                bestEpoch >= 0 && bestEpoch <= epochsRun && trainLoss.size() == epochsRun,
                "inconsistent report: %s epochs run, best %s, %s train losses",
                epochsRun,
                bestEpoch,
                trainLoss.size());
    }

    /** Training loss of the returned epoch, or NaN if {@code bestEpoch} is 0. */
    public double bestTrainLoss() {
        return bestEpoch == 0 ? Double.NaN : trainLoss.get(bestEpoch - 1);
    }

    /** Validation loss after the returned epoch, or NaN without a validation set or if {@code bestEpoch} is 0. */
    public double bestValidationLoss() {
        return validationLoss.isEmpty() || bestEpoch == 0 ? Double.NaN : validationLoss.get(bestEpoch - 1);
    }
}
