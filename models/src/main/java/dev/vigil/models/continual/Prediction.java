package dev.vigil.models.continual;

/**
 * What an {@link OnlineLearner} predicted for an example before training on it (prequential: test, then train).
 *
 * @param index the example's position in the stream, from 0
 * @param predictedClass the most probable class (binary: 1 when {@code P(y = 1) >= 0.5})
 * @param probability binary model: {@code P(y = 1)}; multiclass: the probability of {@code predictedClass}
 * @param labelProbability the probability the model gave the true label
 * @param logLoss {@code -log(labelProbability)}, with the probability clipped to {@code [1e-15, 1]}
 * @param stepped whether this example completed a minibatch and the model was updated right after the prediction
 */
public record Prediction(
        long index, int predictedClass, double probability, double labelProbability, double logLoss, boolean stepped) {

    /** Whether the predicted class was the label. */
    public boolean correct(int label) {
        return predictedClass == label;
    }
}
