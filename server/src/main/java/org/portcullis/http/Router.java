package org.portcullis.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Maps method and path to a handler. Small on purpose: Barbican's API is a few dozen fixed
 * paths, and a plain list keeps the whole surface readable in {@code ApiRoutes}.
 */
public final class Router {
    private final List<Route> routes = new ArrayList<>();

    public Router get(String path, Route.Handler handler) {
        return add("GET", path, handler, true);
    }

    public Router post(String path, Route.Handler handler) {
        return add("POST", path, handler, true);
    }

    public Router put(String path, Route.Handler handler) {
        return add("PUT", path, handler, true);
    }

    public Router patch(String path, Route.Handler handler) {
        return add("PATCH", path, handler, true);
    }

    public Router delete(String path, Route.Handler handler) {
        return add("DELETE", path, handler, true);
    }

    /** A route that needs no project context (version discovery, health). */
    public Router open(String method, String path, Route.Handler handler) {
        return add(method, path, handler, false);
    }

    private Router add(String method, String path, Route.Handler handler, boolean authenticated) {
        routes.add(Route.of(method, path, handler, authenticated));
        routes.sort(Comparator.comparingInt(Route::specificity).reversed());
        return this;
    }

    /** What a request resolves to: a route with its parameters, or the methods the path allows (sorted). */
    public record Resolution(Route route, Map<String, String> params, SortedSet<String> allowed) {}

    public Resolution resolve(String method, List<String> path) {
        TreeSet<String> allowed = null; // made only for a path that other methods match: most requests find their route
        for (Route route : routes) {
            Map<String, String> params = route.match(path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Resolution(route, params, allowed == null ? Collections.emptySortedSet() : allowed);
            }
            if (allowed == null) {
                allowed = new TreeSet<>();
            }
            allowed.add(route.method());
        }
        return new Resolution(null, Map.of(), allowed == null ? Collections.emptySortedSet() : allowed);
    }
}
