package dev.rebyte.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Site id to {@link Site}. Registration (class-transform time, rare) takes a lock and republishes
 * the array; lookup (every acquire and release) is one volatile read and a bounds check. Ids never
 * registered resolve to the shared unknown site, so lookup never throws.
 */
final class SiteRegistry {
  private final Site unknown = Site.unknown();
  private volatile Site[] sites = new Site[64]; // published after every registration
  private int count; // guarded by this

  synchronized int register(String className, String methodName, String methodDescriptor,
      int line, int constantLength, SiteMode mode) {
    Site[] s = sites;
    if (count == s.length) {
      s = Arrays.copyOf(s, s.length * 2);
    }
    int id = count;
    s[id] = new Site(id, className, methodName, methodDescriptor, line, constantLength, mode);
    count = id + 1;
    sites = s; // volatile write publishes the new element
    return id;
  }

  Site get(int id) {
    Site[] s = sites;
    if (id >= 0 && id < s.length) {
      Site site = s[id];
      if (site != null) {
        return site;
      }
    }
    return unknown;
  }

  Site unknown() {
    return unknown;
  }

  synchronized int count() {
    return count;
  }

  /** One counter summed over every site, the unknown one included. */
  long sum(int counter) {
    Site[] s = sites;
    long total = unknown.get(counter);
    for (Site site : s) {
      if (site == null) {
        break;
      }
      total += site.get(counter);
    }
    return total;
  }

  long outstanding() {
    Site[] s = sites;
    long total = unknown.outstanding();
    for (Site site : s) {
      if (site == null) {
        break;
      }
      total += site.outstanding();
    }
    return total;
  }

  /** Snapshots of the registered sites, by id. */
  List<SiteStats> snapshot() {
    Site[] s = sites;
    List<SiteStats> out = new ArrayList<>();
    for (Site site : s) {
      if (site == null) {
        break;
      }
      out.add(site.snapshot());
    }
    return out;
  }
}
