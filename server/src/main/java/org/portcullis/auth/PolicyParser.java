package org.portcullis.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses oslo.policy's check language: {@code and}, {@code or}, {@code not}, parentheses,
 * {@code @} (always), {@code !} (never), the empty string (always) and {@code kind:match} checks.
 */
final class PolicyParser {
    private final List<String> tokens;
    private int pos;

    private PolicyParser(List<String> tokens) {
        this.tokens = tokens;
    }

    static PolicyRule parse(String text) {
        if (text == null || text.isBlank()) {
            return new PolicyRule.Always(true);
        }
        PolicyParser p = new PolicyParser(tokenize(text));
        PolicyRule rule = p.or();
        if (p.pos != p.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in policy rule: " + text);
        }
        return rule;
    }

    private PolicyRule or() {
        List<PolicyRule> any = new ArrayList<>(List.of(and()));
        while (peek("or")) {
            pos++;
            any.add(and());
        }
        return any.size() == 1 ? any.get(0) : new PolicyRule.Or(any);
    }

    private PolicyRule and() {
        List<PolicyRule> all = new ArrayList<>(List.of(not()));
        while (peek("and")) {
            pos++;
            all.add(not());
        }
        return all.size() == 1 ? all.get(0) : new PolicyRule.And(all);
    }

    private PolicyRule not() {
        if (peek("not")) {
            pos++;
            return new PolicyRule.Not(not());
        }
        return atom();
    }

    private PolicyRule atom() {
        if (pos >= tokens.size()) {
            throw new IllegalArgumentException("policy rule ends too early");
        }
        String t = tokens.get(pos++);
        switch (t) {
            case "(" -> {
                PolicyRule inner = or();
                if (!peek(")")) {
                    throw new IllegalArgumentException("missing ')' in policy rule");
                }
                pos++;
                return inner;
            }
            case "@" -> {
                return new PolicyRule.Always(true);
            }
            case "!" -> {
                return new PolicyRule.Always(false);
            }
            default -> {
                int colon = t.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("'" + t + "' is not a check (expected kind:match)");
                }
                String kind = t.substring(0, colon);
                String match = t.substring(colon + 1);
                return switch (kind) {
                    case "rule" -> new PolicyRule.RuleRef(match);
                    case "role" -> new PolicyRule.Role(match);
                    default -> new PolicyRule.Generic(kind, match);
                };
            }
        }
    }

    private boolean peek(String word) {
        return pos < tokens.size() && tokens.get(pos).equals(word);
    }

    /**
     * Splits as oslo.policy does: on white space, then peels leading {@code (} and trailing
     * {@code )} off each word, so {@code %(target.secret.id)s} stays whole. Quoted literals keep
     * their spaces.
     */
    static List<String> tokenize(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                cur.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                cur.append(c);
            } else if (Character.isWhitespace(c)) {
                if (!cur.isEmpty()) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            words.add(cur.toString());
        }
        List<String> out = new ArrayList<>();
        for (String word : words) {
            int start = 0;
            while (start < word.length() && word.charAt(start) == '(') {
                out.add("(");
                start++;
            }
            int end = word.length();
            int closing = 0;
            while (end > start && word.charAt(end - 1) == ')') {
                end--;
                closing++;
            }
            if (end > start) {
                String token = word.substring(start, end);
                String lower = token.toLowerCase(java.util.Locale.ROOT);
                out.add(lower.equals("and") || lower.equals("or") || lower.equals("not") ? lower : token);
            }
            for (int i = 0; i < closing; i++) {
                out.add(")");
            }
        }
        return out;
    }
}
