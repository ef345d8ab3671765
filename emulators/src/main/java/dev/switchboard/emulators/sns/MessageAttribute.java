package dev.switchboard.emulators.sns;

/**
 * One SNS message attribute: its data type ({@code String}, {@code Number}, {@code Binary}, {@code String.Array}
 * or a custom {@code String.x}) and its value; a binary value is kept base64-encoded, as it travels.
 */
record MessageAttribute(String dataType, String value) {
    boolean isBinary() {
        return dataType.startsWith("Binary");
    }
}
