/*
 * gaz_update.c: bring a database's gazetteer up to a newer default
 * gazetteer while keeping everything a curator did (ga_store_curate.h,
 * ga_store_gaz_update_from).
 *
 * The default gazetteer is attached read-only and merged by gid, in one
 * transaction: its places update the rows of the same gid (or are added),
 * their names and outlines are replaced, while rows with curated = 1 (user
 * places, and curated names even on imported places) and places from
 * other imports are left as they are. Mentions and events keep their gids;
 * `annotate --reannotate` refreshes them.
 */
#include "store/store_int.h"
#include "store/ga_store_curate.h"

static const char *const update_sql[] = {
    /* places of the default that the database has: take the new values */
    "UPDATE main.places SET (name, kind, feature_code, country, admin1, admin1_code, "
    "  admin1_pcode, admin2, admin2_pcode, population, lon, lat, source, note, geom, "
    "  alt_names) = "
    "  (SELECT d.name, d.kind, d.feature_code, d.country, d.admin1, d.admin1_code, "
    "   d.admin1_pcode, d.admin2, d.admin2_pcode, d.population, d.lon, d.lat, d.source, "
    "   d.note, d.geom, d.alt_names FROM def.places d WHERE d.gid = main.places.gid) "
    "WHERE curated = 0 AND gid IN (SELECT gid FROM def.places)",
    /* new places */
    "INSERT INTO main.places(gid, name, kind, feature_code, country, admin1, admin1_code, "
    "  admin1_pcode, admin2, admin2_pcode, population, lon, lat, source, curated, note, geom, "
    "  alt_names) "
    "SELECT gid, name, kind, feature_code, country, admin1, admin1_code, admin1_pcode, "
    "  admin2, admin2_pcode, population, lon, lat, source, 0, note, geom, alt_names "
    "FROM def.places "
    "WHERE gid NOT IN (SELECT gid FROM main.places)",
    /* their names: the default's replace the old ones, curated names stay */
    "DELETE FROM main.names WHERE curated = 0 AND place_id IN "
    "  (SELECT p.id FROM main.places p JOIN def.places d ON d.gid = p.gid WHERE p.curated = 0)",
    "INSERT INTO main.names(place_id, name, lang, kind, source, curated) "
    "SELECT p.id, n.name, n.lang, n.kind, n.source, 0 FROM def.names n "
    "JOIN def.places d ON d.id = n.place_id JOIN main.places p ON p.gid = d.gid "
    "WHERE p.curated = 0",
    /* outlines likewise */
    "DELETE FROM main.boundaries WHERE place_id IN "
    "  (SELECT p.id FROM main.places p JOIN def.places d ON d.gid = p.gid WHERE p.curated = 0)",
    "INSERT INTO main.boundaries(place_id, level, pcode, source, geom) "
    "SELECT p.id, b.level, b.pcode, b.source, b.geom FROM def.boundaries b "
    "JOIN def.places d ON d.id = b.place_id JOIN main.places p ON p.gid = d.gid "
    "WHERE p.curated = 0",
    "INSERT OR REPLACE INTO main.admin_crosswalk SELECT * FROM def.admin_crosswalk",
};

ga_rc ga_store_gaz_update_from(ga_store *st, const char *default_path, int64_t *places,
                               ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "ATTACH DATABASE ? AS def", &s, err);
    if (rc) return rc;
    char *uri = sqlite3_mprintf("file:%s?mode=ro", default_path);
    sqlite3_bind_text(s, 1, uri, -1, sqlite3_free);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return ga_store_fail(st, err, src, "cannot open the default gazetteer");
    /* The attached file must be a geoannot gazetteer. */
    if ((rc = ga_store_exec(st, "SELECT gid, name, kind FROM def.places LIMIT 1", err))) {
        ga_err_set(err, GA_EFORMAT, "'%s' is not a geoannot gazetteer", default_path);
        goto detach;
    }
    if ((rc = ga_store_begin(st, err))) goto detach;
    for (size_t i = 0; i < sizeof update_sql / sizeof update_sql[0] && !rc; i++)
        rc = ga_store_exec(st, update_sql[i], err);
    if (!rc) rc = ga_store_gaz_bump(st, err);
    if (!rc && places) {
        if ((rc = ga_store_prepare(st, "SELECT count(*) FROM def.places", &s, err)) == GA_OK) {
            *places = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
            sqlite3_finalize(s);
        }
    }
    if (rc) ga_store_rollback(st);
    else rc = ga_store_commit(st, err);
detach:
    sqlite3_exec(st->db, "DETACH DATABASE def", NULL, NULL, NULL);
    return rc;
}
