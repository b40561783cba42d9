package org.portcullis.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.portcullis.http.ApiException;

/**
 * The payload content types Barbican accepts and how each travels: text/plain as UTF-8 text,
 * the binary types as base64 in JSON (raw bytes on PUT and GET). Unlike Barbican, invalid base64
 * is refused instead of being stored as an empty secret.
 */
public final class PayloadFormats {
    public static final String TEXT = "text/plain";
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String PKCS8 = "application/pkcs8";
    static final List<String> SUPPORTED = List.of("text/plain", "text/plain;charset=utf-8", "text/plain; charset=utf-8",
            OCTET_STREAM, PKCS8);

    private PayloadFormats() {}

    /**
     * The internal type for a client's content type: {@code text/plain} (any spelling with
     * charset utf-8), {@code application/octet-stream} or {@code application/pkcs8}; null when
     * unsupported.
     */
    public static String normalize(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        String mime = parts[0].strip().toLowerCase(Locale.ROOT);
        if (parts.length > 2) {
            return null;
        }
        if (parts.length == 2) {
            String[] param = parts[1].split("=");
            if (param.length != 2 || !param[0].strip().equalsIgnoreCase("charset")
                    || !param[1].strip().equalsIgnoreCase("utf-8")) {
                return null;
            }
        }
        return switch (mime) {
            case TEXT, OCTET_STREAM, PKCS8 -> mime;
            default -> null;
        };
    }

    public static boolean isText(String normalizedType) {
        return TEXT.equals(normalizedType);
    }

    /** Strict base64: whitespace (line breaks of PEM-like text) is allowed, anything else is not. */
    public static byte[] decodeBase64(String text, String property) {
        StringBuilder compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        try {
            return Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid property '" + property + "': it is not valid base64 ("
                    + e.getMessage() + ").");
        }
    }

    /** Bytes as UTF-8 text, or null when they are not valid UTF-8. */
    public static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
