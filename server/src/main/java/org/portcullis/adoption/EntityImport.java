package org.portcullis.adoption;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.portcullis.acl.Acl;
import org.portcullis.acl.AclEntity;
import org.portcullis.acl.AclRepository;
import org.portcullis.containers.ConsumerRef;
import org.portcullis.containers.Container;
import org.portcullis.containers.ContainerConsumer;
import org.portcullis.containers.ContainerRepository;
import org.portcullis.containers.ContainerSecret;
import org.portcullis.containers.ContainerType;
import org.portcullis.db.Database;
import org.portcullis.http.Json;
import org.portcullis.orders.Order;
import org.portcullis.orders.OrderRepository;
import org.portcullis.quotas.ProjectQuota;
import org.portcullis.quotas.QuotaRepository;
import org.portcullis.quotas.Resource;
import org.portcullis.secrets.SecretRepository;
import org.portcullis.transport.TransportKey;
import org.portcullis.transport.TransportKeyRepository;

/**
 * Everything but secrets: containers (with their secret references and consumers), ACLs, orders,
 * project quotas and transport keys, each written through its feature's repository in one
 * transaction. Same rules as for secrets: new ids are created with Barbican's fields and times,
 * existing ones get Barbican's current state, ids Barbican deleted are deleted.
 */
final class EntityImport {
    private final Database db;
    private final ImportReport report;
    private final boolean dryRun;
    private final ContainerRepository containers;
    private final SecretRepository secrets = new SecretRepository();
    private final AclRepository acls = new AclRepository();
    private final OrderRepository orders = new OrderRepository();
    private final QuotaRepository quotas = new QuotaRepository();
    private final TransportKeyRepository transportKeys = new TransportKeyRepository();

    EntityImport(Database db, ImportReport report, boolean dryRun) {
        this.db = db;
        this.report = report;
        this.dryRun = dryRun;
        this.containers = new ContainerRepository(db.kind());
    }

    /** Ids that exist in Portcullis with other content: the import refuses to start. */
    void check(BarbicanRows.Snapshot s) {
        List<String> conflicts = new ArrayList<>();
        db.read(h -> {
            for (BarbicanRows.Container c : s.containers()) {
                containers.find(h, c.id()).filter(p -> !p.projectId().equals(c.projectId())
                        || !Objects.equals(p.name(), c.name()) || !p.type().apiName().equals(c.type())
                        || p.createdAt() != c.createdAt()).ifPresent(p -> conflicts.add("container " + c.id()));
            }
            for (BarbicanRows.Order o : s.orders()) {
                orders.find(h, o.projectId(), o.id()).filter(p -> !p.type().equals(o.type()) || p.createdAt() != o.createdAt())
                        .ifPresent(p -> conflicts.add("order " + o.id()));
            }
            return null;
        });
        if (!conflicts.isEmpty()) {
            throw new ImportRefused(conflicts.size() + " id(s) exist in Portcullis with other content, first "
                    + conflicts.get(0) + "; nothing was written or overwritten");
        }
    }

    void run(BarbicanRows.Snapshot s) {
        if (dryRun) {
            s.containers().forEach(c -> report.count("container", c.projectId(), c.deleted() ? "seen deleted" : "seen"));
            s.orders().forEach(o -> report.count("order", o.projectId(), o.deleted() ? "seen deleted" : "seen"));
            return;
        }
        long now = System.currentTimeMillis();
        db.write(h -> {
            containers(h, s, now);
            acls(h, s, now);
            orders(h, s, now);
            quotas(h, s, now);
            transportKeys(h, s, now);
            report.audit(); // the batch's events are on disk before it commits
            return null;
        });
    }

    private void containers(Handle h, BarbicanRows.Snapshot s, long now) {
        Map<String, List<BarbicanRows.ContainerConsumer>> consumers = new java.util.HashMap<>();
        s.containerConsumers().forEach(c -> consumers.computeIfAbsent(c.containerId(), k -> new ArrayList<>()).add(c));
        for (BarbicanRows.Container c : s.containers()) {
            Optional<Container> existing = containers.find(h, c.id());
            if (c.deleted()) {
                if (existing.isPresent() && containers.delete(h, c.id(), c.projectId(), now)) {
                    report.changed("container", c.id(), c.projectId(), "deleted");
                }
                continue;
            }
            if (existing.isEmpty()) {
                if (containers.existsIncludingDeleted(h, c.id())) {
                    report.skip("container", c.id(), c.projectId(), "deleted in Portcullis since an earlier import");
                    continue;
                }
                List<ContainerSecret> members = new ArrayList<>();
                for (BarbicanRows.ContainerSecret m : c.secrets()) {
                    if (secrets.find(h, m.secretId()).isPresent()) {
                        members.add(new ContainerSecret(m.name(), m.secretId()));
                    } else {
                        report.skip("container secret", c.id(), c.projectId(), "secret " + m.secretId()
                                + " was not imported; the container is imported without it");
                    }
                }
                containers.insert(h, c.id(), c.projectId(), c.creatorId(), c.name(), ContainerType.fromApi(c.type()),
                        members, c.updatedAt());
                containers.setImported(h, c.id(), c.status(), c.createdAt(), c.updatedAt());
                report.changed("container", c.id(), c.projectId(), "created");
            } else {
                report.count("container", c.projectId(), "unchanged");
            }
            syncConsumers(h, c, consumers.getOrDefault(c.id(), List.of()));
        }
    }

    private void syncConsumers(Handle h, BarbicanRows.Container c, List<BarbicanRows.ContainerConsumer> want) {
        List<ContainerConsumer> have = containers.find(h, c.id()).map(Container::consumers).orElse(List.of());
        Set<String> wanted = new HashSet<>();
        for (BarbicanRows.ContainerConsumer w : want) {
            wanted.add(w.name() + "\n" + w.url());
            ConsumerRef ref = new ConsumerRef(w.name(), w.url());
            if (containers.consumer(h, c.id(), ref).isEmpty()) {
                containers.addConsumer(h, w.id(), c.id(), w.projectId() == null ? c.projectId() : w.projectId(), ref,
                        w.createdAt());
                report.changed("container consumer", c.id(), c.projectId(), "created");
            }
        }
        for (ContainerConsumer p : have) {
            if (!wanted.contains(p.name() + "\n" + p.url())) {
                containers.deleteConsumer(h, p.id());
                report.changed("container consumer", c.id(), c.projectId(), "deleted");
            }
        }
    }

    private void acls(Handle h, BarbicanRows.Snapshot s, long now) {
        Map<String, String> projectOf = new java.util.HashMap<>();
        s.secrets().forEach(x -> projectOf.put("secret/" + x.id(), x.projectId()));
        s.containers().forEach(x -> projectOf.put("container/" + x.id(), x.projectId()));
        Map<String, List<BarbicanRows.Acl>> byEntity = new java.util.LinkedHashMap<>();
        s.acls().forEach(a -> byEntity.computeIfAbsent(a.kind() + "/" + a.entityId(), k -> new ArrayList<>()).add(a));
        // Only entities with an ACL on either side can need a change.
        Set<String> entities = new LinkedHashSet<>(byEntity.keySet());
        acls.entitiesWithAcls(h, AclEntity.Kind.SECRET).forEach(id -> entities.add("secret/" + id));
        acls.entitiesWithAcls(h, AclEntity.Kind.CONTAINER).forEach(id -> entities.add("container/" + id));
        for (String key : entities) {
            String project = projectOf.get(key);
            if (project == null) {
                continue; // not in this import (another project, or not in Barbican at all)
            }
            AclEntity.Kind kind = key.startsWith("secret/") ? AclEntity.Kind.SECRET : AclEntity.Kind.CONTAINER;
            String id = key.substring(key.indexOf('/') + 1);
            boolean live = kind == AclEntity.Kind.SECRET ? secrets.find(h, id).isPresent() : containers.find(h, id).isPresent();
            if (!live) {
                continue;
            }
            List<BarbicanRows.Acl> want = byEntity.getOrDefault(key, List.of());
            List<Acl> have = acls.find(h, kind, id);
            if (same(want, have)) {
                continue;
            }
            Set<String> keep = new HashSet<>();
            for (BarbicanRows.Acl a : want) {
                keep.add(a.operation());
                acls.upsert(h, kind, id, a.operation(), a.projectAccess(), new LinkedHashSet<>(a.users()), a.updatedAt());
            }
            acls.deleteAll(h, kind, id, keep);
            report.changed(kind.policyName() + " acl", id, project, want.isEmpty() ? "deleted" : "set");
        }
    }

    private static boolean same(List<BarbicanRows.Acl> want, List<Acl> have) {
        if (want.size() != have.size()) {
            return false;
        }
        for (BarbicanRows.Acl w : want) {
            boolean match = have.stream().anyMatch(a -> a.operation().equals(w.operation())
                    && a.projectAccess() == w.projectAccess() && new HashSet<>(a.users()).equals(new HashSet<>(w.users())));
            if (!match) {
                return false;
            }
        }
        return true;
    }

    private void orders(Handle h, BarbicanRows.Snapshot s, long now) {
        for (BarbicanRows.Order o : s.orders()) {
            Optional<Order> existing = orders.find(h, o.projectId(), o.id());
            if (o.deleted()) {
                if (existing.isPresent() && orders.delete(h, o.id(), now)) {
                    report.changed("order", o.id(), o.projectId(), "deleted");
                }
                continue;
            }
            String secretId = o.secretId() != null && secrets.find(h, o.secretId()).isPresent() ? o.secretId() : null;
            String containerId = o.containerId() != null && containers.find(h, o.containerId()).isPresent()
                    ? o.containerId() : null;
            if (existing.isEmpty()) {
                ObjectNode meta;
                try {
                    meta = (ObjectNode) Json.MAPPER.readTree(o.meta() == null ? "{}" : o.meta());
                } catch (Exception e) {
                    report.skip("order", o.id(), o.projectId(), "meta is not a JSON object");
                    continue;
                }
                orders.insert(h, new Order(o.id(), o.projectId(), o.creatorId(), o.type(), meta, o.status(), secretId,
                        containerId, o.errorStatusCode(), o.errorReason(), o.createdAt(), o.updatedAt()));
                report.changed("order", o.id(), o.projectId(), "created");
            } else if (!existing.get().status().equals(o.status()) || !Objects.equals(existing.get().secretId(), secretId)
                    || !Objects.equals(existing.get().containerId(), containerId)) {
                orders.finish(h, o.id(), o.status(), secretId, containerId, o.errorStatusCode(), o.errorReason(),
                        o.updatedAt());
                report.changed("order", o.id(), o.projectId(), "updated");
            } else {
                report.count("order", o.projectId(), "unchanged");
            }
        }
    }

    private void quotas(Handle h, BarbicanRows.Snapshot s, long now) {
        for (BarbicanRows.Quota q : s.quotas()) {
            Map<Resource, Integer> values = new EnumMap<>(Resource.class);
            values.put(Resource.fromApi("secrets"), q.secrets());
            values.put(Resource.fromApi("orders"), q.orders());
            values.put(Resource.fromApi("containers"), q.containers());
            values.put(Resource.fromApi("consumers"), q.consumers());
            values.put(Resource.fromApi("cas"), q.cas());
            Optional<ProjectQuota> existing = quotas.find(h, q.projectId());
            boolean same = existing.isPresent() && values.entrySet().stream()
                    .allMatch(e -> Objects.equals(existing.get().values().get(e.getKey()), e.getValue()));
            if (!same) {
                quotas.upsert(h, q.projectId(), values, q.updatedAt());
                report.changed("project quota", q.projectId(), q.projectId(), existing.isPresent() ? "updated" : "created");
            }
        }
    }

    private void transportKeys(Handle h, BarbicanRows.Snapshot s, long now) {
        for (BarbicanRows.TransportKey k : s.transportKeys()) {
            boolean exists = transportKeys.find(h, k.id()).isPresent();
            if (k.deleted() && exists) {
                transportKeys.delete(h, k.id(), now);
                report.changed("transport key", k.id(), null, "deleted");
            } else if (!k.deleted() && !exists) {
                transportKeys.insert(h, new TransportKey(k.id(), k.pluginName(), k.transportKey(), k.createdAt(),
                        k.updatedAt()));
                report.changed("transport key", k.id(), null, "created");
            }
        }
    }
}
