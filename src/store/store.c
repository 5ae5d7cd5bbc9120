/*
 * store.c: opening the geoannot database, loading SpatiaLite, creating and
 * upgrading the schema, transactions and metadata. See ga_store.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The spatial index of mentions: one R*Tree entry per place that
 * mentions refer to (pkid = place id, the box = the point the mentions of
 * that place were stored with), and mentions found by place. A mention's
 * point is always its place's point, and news names the same places over
 * and over: annotate adds an entry only for a place seen for the first
 * time, where an entry per mention cost about 10 microseconds a mention,
 * a third of storing it. Kept by annotate (ann_store.c), which writes
 * every mention. */
#define MENTION_POINTS_SQL \
    "CREATE VIRTUAL TABLE IF NOT EXISTS mention_points USING rtree(pkid, xmin, xmax, ymin, ymax);" \
    "CREATE INDEX IF NOT EXISTS mentions_place ON mentions(place_id) WHERE place_id IS NOT NULL;"

/* The schema, version GA_SCHEMA_VERSION. Tables without geometry first;
 * geometry columns are added through SpatiaLite so that its metadata and
 * QGIS/OGR see them. */
static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS meta("
    "  key TEXT PRIMARY KEY,"          /* setting name */
    "  value TEXT NOT NULL);"
    /* Gazetteer places: one row per place, whatever its source. */
    "CREATE TABLE IF NOT EXISTS places("
    "  id INTEGER PRIMARY KEY,"
    "  gid TEXT NOT NULL UNIQUE,"      /* stable id: geonames:170018, country:SY, ocha:C1234 */
    "  name TEXT NOT NULL,"            /* preferred name */
    "  kind TEXT NOT NULL CHECK(instr(',country,adm1,adm2,adm3,populated_place,section,"
    "area,camp,crossing,other,', ',' || kind || ',') > 0 AND instr(kind, ',') = 0),"
    /* instr(), not IN (...): an IN list costs a temporary table per inserted row */
    "  feature_code TEXT,"             /* GeoNames feature code (PPLA2, ADM1 ...) */
    "  country TEXT,"                  /* ISO 3166-1 alpha-2 */
    "  admin1 TEXT,"                   /* first-level admin name */
    "  admin1_code TEXT,"              /* GeoNames admin1 code, e.g. SY.11 */
    "  admin1_pcode TEXT,"             /* OCHA P-code, e.g. SY04 */
    "  admin2 TEXT,"
    "  admin2_pcode TEXT,"
    "  population INTEGER NOT NULL DEFAULT 0,"
    "  lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180),"
    "  lat REAL NOT NULL CHECK(lat BETWEEN -90 AND 90),"
    "  source TEXT NOT NULL,"          /* geonames, world-countries, naturalearth, curated, user, ocha ... */
    "  curated INTEGER NOT NULL DEFAULT 0," /* 1: added by a curator, kept on rebuild */
    "  note TEXT,"                     /* provenance or precision note */
    "  alt_names TEXT);"               /* GeoNames alternate names, comma-separated */
    "CREATE INDEX IF NOT EXISTS places_country ON places(country, kind);"
    "CREATE INDEX IF NOT EXISTS places_pcode ON places(admin1_pcode);"
    /* Every name a place is known by, the preferred one included. */
    "CREATE TABLE IF NOT EXISTS names("
    "  id INTEGER PRIMARY KEY,"
    "  place_id INTEGER NOT NULL REFERENCES places(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  lang TEXT,"                     /* ISO 639 code when known */
    "  kind TEXT NOT NULL,"            /* official, ascii, alternate, demonym, abbrev, curated */
    "  source TEXT,"
    "  curated INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS names_place ON names(place_id);"
    /* Polygons of admin areas; the place row holds names and codes. */
    "CREATE TABLE IF NOT EXISTS boundaries("
    "  place_id INTEGER PRIMARY KEY REFERENCES places(id) ON DELETE CASCADE,"
    "  level TEXT NOT NULL,"           /* country, adm1, adm2, adm3 */
    "  pcode TEXT,"                    /* OCHA P-code or ISO code */
    "  source TEXT NOT NULL);"
    /* GeoNames admin1 code -> OCHA P-code crosswalk (Syria and any other
     * country a user adds). */
    "CREATE TABLE IF NOT EXISTS admin_crosswalk("
    "  country TEXT NOT NULL,"
    "  admin1_code TEXT NOT NULL,"     /* GeoNames, e.g. SY.11 */
    "  admin1_pcode TEXT NOT NULL,"    /* OCHA, e.g. SY04 */
    "  name TEXT NOT NULL,"
    "  PRIMARY KEY(country, admin1_code));"
    /* Annotated documents. */
    "CREATE TABLE IF NOT EXISTS documents("
    "  id INTEGER PRIMARY KEY,"
    "  doc_id TEXT NOT NULL UNIQUE,"   /* file name without extension, or jsonl id */
    "  title TEXT, url TEXT, source TEXT,"
    "  doc_date TEXT,"                 /* YYYY-MM-DD when known */
    "  content_hash TEXT NOT NULL,"    /* hash of text + metadata: re-annotation is idempotent */
    "  gaz_generation INTEGER,"        /* gazetteer generation used */
    "  path TEXT,"
    "  text TEXT NOT NULL,"
    "  annotated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
    "CREATE TABLE IF NOT EXISTS mentions("
    "  id INTEGER PRIMARY KEY,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"          /* index in the document's mention list */
    "  start INTEGER NOT NULL, end INTEGER NOT NULL," /* byte offsets */
    "  text TEXT NOT NULL,"
    "  place_id INTEGER,"              /* NULL when unresolved */
    "  place_gid TEXT, place_name TEXT, kind TEXT,"
    "  admin1 TEXT, admin1_pcode TEXT, admin2 TEXT, admin2_pcode TEXT, country TEXT,"
    "  precision INTEGER, score REAL, reason TEXT,"
    "  flags TEXT,"                    /* demonym, organisation ... */
    "  sent_start INTEGER, sent_end INTEGER);" /* its sentence: byte offsets in the
                                          document's text (GA_MENTION_SENTENCE_SQL) */
    "CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(document_id);"
    "CREATE INDEX IF NOT EXISTS mentions_unresolved ON mentions(text) WHERE place_id IS NULL;"
    MENTION_POINTS_SQL
    "CREATE TABLE IF NOT EXISTS events("
    "  id INTEGER PRIMARY KEY,"
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  type TEXT NOT NULL, status TEXT NOT NULL, trigger TEXT,"
    "  event_date TEXT, time_precision INTEGER, geo_precision INTEGER,"
    "  mention_seq INTEGER,"           /* the location mention */
    "  place_id INTEGER, place_gid TEXT, place_name TEXT, kind TEXT,"
    "  admin1 TEXT, admin1_pcode TEXT, admin2 TEXT, admin2_pcode TEXT, country TEXT,"
    "  role TEXT NOT NULL,"            /* site, origin, destination */
    "  origin_name TEXT, origin_lon REAL, origin_lat REAL,"
    "  dest_name TEXT, dest_lon REAL, dest_lat REAL,"
    "  actors TEXT, people INTEGER, sentence TEXT, reason TEXT,"
    "  lon REAL, lat REAL);"
    "CREATE INDEX IF NOT EXISTS events_doc ON events(document_id);"
    "CREATE INDEX IF NOT EXISTS events_date ON events(event_date);";

/* Mentions are written by annotate alone, by the ten thousand, each point
 * a POINT with SRID 4326 it builds itself (ann_store.c): SpatiaLite's
 * per-row triggers on that table (ggi_ checks the geometry, tmi_ and tmd_
 * stamp geometry_columns_time) cost a quarter of storing a mention, so
 * they are dropped; annotate checks the column and stamps the time once
 * per batch. The geometry column stays registered, so OGR and QGIS see
 * the layer. */
#define MENTION_TRIGGERS_SQL \
    "DROP TRIGGER IF EXISTS ggi_mentions_geom;" \
    "DROP TRIGGER IF EXISTS tmi_mentions_geom;" \
    "DROP TRIGGER IF EXISTS tmd_mentions_geom;"

/* Geometry columns, added once through SpatiaLite. */
static const char *const geometry_sql[][4] = {
    /* table, column, type, spatial index? */
    {"places", "geom", "POINT", "0"},
    {"boundaries", "geom", "MULTIPOLYGON", "1"},
    {"mentions", "geom", "POINT", "0"},     /* indexed by mention_points */
    {"events", "geom", "POINT", "1"},
};

ga_rc ga_store_fail(ga_store *st, ga_err *err, int src, const char *what)
{
    const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src);
    int primary = src & 0xff;
    if (primary == SQLITE_FULL)
        return ga_err_set(err, GA_EFULL, "%s: database or disk is full (%s)", what,
                          st ? st->path : "?");
    if (primary == SQLITE_READONLY)
        return ga_err_set(err, GA_EDB, "%s: database '%s' is read-only", what,
                          st ? st->path : "?");
    return ga_err_set(err, GA_EDB, "%s: %s", what, msg);
}

ga_rc ga_store_prepare(ga_store *st, const char *sql, sqlite3_stmt **stmt, ga_err *err)
{
    int src = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
    if (src != SQLITE_OK) return ga_store_fail(st, err, src, "cannot prepare statement");
    return GA_OK;
}

ga_rc ga_store_exec(ga_store *st, const char *sql, ga_err *err)
{
    char *msg = NULL;
    int src = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (src != SQLITE_OK) {
        ga_rc rc = ga_store_fail(st, err, src, "database error");
        if (msg && (src & 0xff) != SQLITE_FULL)
            ga_err_set(err, rc, "database error: %s", msg);
        sqlite3_free(msg);
        return rc;
    }
    return GA_OK;
}

int ga_store_bind_text(sqlite3_stmt *s, int i, const char *v, int empty_null)
{
    if (!v || (empty_null && !*v)) return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/* 1 when this process may write path and create files beside it (the
 * -wal and -shm files SQLite needs). */
static int writable(const char *path)
{
    if (access(path, W_OK) != 0) return 0;
    char *dir = ga_strdup(path);
    if (!dir) return 1;
    char *slash = strrchr(dir, '/');
    int ok;
    if (!slash) ok = access(".", W_OK) == 0;
    else if (slash == dir) ok = access("/", W_OK) == 0;
    else { *slash = 0; ok = access(dir, W_OK) == 0; }
    free(dir);
    return ok;
}

/* $GEOANNOT_MAX_DB_MB caps the size of the database file (a quota for
 * unattended runs): past it a write fails with "database or disk is full"
 * and the transaction rolls back, keeping what was committed. */
static ga_rc apply_size_cap(ga_store *st, ga_err *err)
{
    const char *env = getenv("GEOANNOT_MAX_DB_MB");
    if (!env || !*env) return GA_OK;
    char *end = NULL;
    double mb = strtod(env, &end);
    if (end == env || *end || !(mb > 0))
        return ga_err_set(err, GA_EINVAL, "GEOANNOT_MAX_DB_MB='%s' is not a positive number of "
                          "megabytes", env);
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "PRAGMA page_size", &s, err);
    if (rc) return rc;
    long page = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 4096;
    sqlite3_finalize(s);
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
             (long long)(mb * 1048576.0 / (double)(page > 0 ? page : 4096)));
    return ga_store_exec(st, sql, err);
}

const char *ga_store_default_path(const char *explicit_path)
{
    if (explicit_path && *explicit_path) return explicit_path;
    const char *env = getenv("GEOANNOT_DB");
    if (env && *env) return env;
    return "geoannot.sqlite";
}

static ga_rc load_spatialite(ga_store *st, ga_err *err)
{
    char *msg = NULL;
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, NULL);
    int src = sqlite3_load_extension(st->db, "mod_spatialite", NULL, &msg);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    if (src != SQLITE_OK) {
        ga_err_set(err, GA_EDB, "cannot load SpatiaLite (mod_spatialite): %s",
                   msg ? msg : sqlite3_errstr(src));
        sqlite3_free(msg);
        return GA_EDB;
    }
    return GA_OK;
}

ga_rc ga_store_need_spatial(ga_store *st, ga_err *err)
{
    if (!(st->flags & GA_STORE_PLAIN)) return GA_OK;
    ga_rc rc = load_spatialite(st, err);
    if (rc == GA_OK) st->flags &= ~GA_STORE_PLAIN;
    return rc;
}

static ga_rc user_version(ga_store *st, int *v, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "PRAGMA user_version", &s, err);
    if (rc) return rc;
    *v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return GA_OK;
}

static ga_rc create_schema(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_exec(st, "BEGIN IMMEDIATE", err);
    if (rc) return rc;
    int v = 0;
    if ((rc = user_version(st, &v, err))) goto done;
    if (v == GA_SCHEMA_VERSION) goto done;   /* another process won the race */
    if (v > GA_SCHEMA_VERSION) {
        rc = ga_err_set(err, GA_EDB, "database '%s' has schema version %d, newer than this "
                        "geoannot (%d); upgrade geoannot", st->path, v, GA_SCHEMA_VERSION);
        goto done;
    }
    /* 0: we already hold a transaction; WGS84: only the SRS rows we need */
    if ((rc = ga_store_exec(st, "SELECT InitSpatialMetadata(0, 'WGS84')", err))) goto done;
    if ((rc = ga_store_exec(st, schema_sql, err))) goto done;
    for (size_t i = 0; i < sizeof geometry_sql / sizeof geometry_sql[0]; i++) {
        sqlite3_stmt *s = NULL;
        if ((rc = ga_store_prepare(st, "SELECT AddGeometryColumn(?, ?, 4326, ?, 'XY')", &s, err)))
            goto done;
        for (int k = 0; k < 3; k++) sqlite3_bind_text(s, k + 1, geometry_sql[i][k], -1, SQLITE_STATIC);
        int src = sqlite3_step(s);
        int ok = src == SQLITE_ROW && sqlite3_column_int(s, 0) == 1;
        sqlite3_finalize(s);
        if (!ok) {
            rc = ga_err_set(err, GA_EDB, "cannot add geometry column %s.%s", geometry_sql[i][0],
                            geometry_sql[i][1]);
            goto done;
        }
        if (geometry_sql[i][3][0] == '1') {
            if ((rc = ga_store_prepare(st, "SELECT CreateSpatialIndex(?, ?)", &s, err))) goto done;
            sqlite3_bind_text(s, 1, geometry_sql[i][0], -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, geometry_sql[i][1], -1, SQLITE_STATIC);
            sqlite3_step(s);
            sqlite3_finalize(s);
        }
    }
    if ((rc = ga_store_exec(st, MENTION_TRIGGERS_SQL, err))) goto done;
    if ((rc = ga_store_cells_create(st, err))) goto done;
    if ((rc = ga_store_blocks_create(st, err))) goto done;
    if ((rc = ga_store_exec(st, "INSERT OR IGNORE INTO meta(key, value) VALUES"
                            "('gaz_generation', '1'), ('gaz_id', lower(hex(randomblob(8)))), "
                            "('created_by', 'geoannot " GA_VERSION "')",
                            err)))
        goto done;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", GA_SCHEMA_VERSION);
    rc = ga_store_exec(st, pragma, err);
done:
    if (rc == GA_OK) return ga_store_exec(st, "COMMIT", err);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Triggers of the annotation tables. SpatiaLite keeps each geometry
 * column with triggers: ggi_ checks a new geometry's type and SRID, tmi_
 * stamps geometry_columns_time, gii_ and giu_ keep the R*Tree spatial index
 * through RTreeAlign(), which formats and parses one INSERT statement per
 * row. Mentions have none of them (MENTION_TRIGGERS_SQL, MENTION_POINTS_SQL);
 * on events they are changed once per database:
 *  - gii_ and giu_ index through plain SQL on the R*Tree (which rounds the
 *    box outward to its 32-bit floats itself);
 *  - ggi_, tmi_ and gii_ skip the row while the table is named in
 *    ann_batch: an annotate batch does that work once for all its rows just
 *    before its commit (ann_store.c), and empties ann_batch in the same
 *    transaction, so no other connection ever sees a row there.
 * Any other program writing these tables with SpatiaLite loaded gets the
 * usual checks and index upkeep. The trigger names stay SpatiaLite's, so
 * its maintenance functions still find them. */
static const char *const ann_geom_tables[] = {"mentions", "events"};
#define ANN_BATCH_WHEN "WHEN NOT EXISTS (SELECT 1 FROM ann_batch WHERE tbl = '%q') "
static const char ann_index_trigger[] =
    "CREATE TRIGGER \"%s_%w_geom\" AFTER %s ON \"%w\" FOR EACH ROW %sBEGIN"
    " DELETE FROM \"idx_%w_geom\" WHERE pkid = NEW.ROWID;"
    " INSERT INTO \"idx_%w_geom\"(pkid, xmin, xmax, ymin, ymax)"
    " SELECT NEW.ROWID, MbrMinX(NEW.geom), MbrMaxX(NEW.geom), MbrMinY(NEW.geom),"
    " MbrMaxY(NEW.geom) WHERE MbrMinX(NEW.geom) IS NOT NULL; END";

/* sql of trigger name, or NULL when there is none (free with sqlite3_free). */
static char *trigger_sql(ga_store *st, const char *name)
{
    sqlite3_stmt *s = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND "
                           "name = ?", -1, &s, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

/* Run sql (from sqlite3_mprintf; freed here), ENOMEM when it is NULL. */
static ga_rc exec_free(ga_store *st, char *sql, ga_err *err)
{
    ga_rc rc = sql ? ga_store_exec(st, sql, err) : ga_err_set(err, GA_ENOMEM, "out of memory");
    sqlite3_free(sql);
    return rc;
}

/* Add the ann_batch condition to SpatiaLite's trigger name of table t:
 * the same trigger with WHEN ... before its BEGIN. Left as it is when its
 * text is not the expected one (then it just runs for every row). */
static ga_rc guard_trigger(ga_store *st, const char *name, const char *t, ga_err *err)
{
    char *sql = trigger_sql(st, name);
    if (!sql || strstr(sql, "ann_batch")) { sqlite3_free(sql); return GA_OK; }
    char *row = strstr(sql, "FOR EACH ROW");
    char *begin = row ? strstr(row, "BEGIN") : NULL;
    ga_rc rc = GA_OK;
    if (begin) {
        char *when = sqlite3_mprintf(ANN_BATCH_WHEN, t);
        char *make = when ? sqlite3_mprintf("%.*s%s%s", (int)(begin - sql), sql, when, begin)
                          : NULL;
        sqlite3_free(when);
        if ((rc = exec_free(st, sqlite3_mprintf("DROP TRIGGER \"%w\"", name), err)) == GA_OK)
            rc = exec_free(st, make, err);
        else sqlite3_free(make);
    }
    sqlite3_free(sql);
    return rc;
}

/* Give mentions and events the triggers described above, once per
 * database (a no-op when already done). */
static ga_rc upgrade_ann_triggers(ga_store *st, ga_err *err)
{
    static const char todo[] =
        "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND"
        "   tbl_name IN ('mentions', 'events') AND ((name LIKE 'gi_\\_%' ESCAPE '\\' AND"
        "   sql LIKE '%RTreeAlign%') OR (substr(name, 1, 4) IN ('ggi_', 'tmi_', 'gii_') AND"
        "   sql NOT LIKE '%ann_batch%')))"
        " + (SELECT count(*) = 0 FROM sqlite_master WHERE name = 'ann_batch')";
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, todo, &s, err);
    if (rc) return rc;
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    if (n == 0) return GA_OK;
    if ((rc = ga_store_exec(st, "BEGIN IMMEDIATE", err))) return rc;
    rc = ga_store_exec(st, "CREATE TABLE IF NOT EXISTS ann_batch(" /* never committed non-empty */
                       " tbl TEXT PRIMARY KEY) WITHOUT ROWID", err);
    for (size_t i = 0; i < sizeof ann_geom_tables / sizeof ann_geom_tables[0] && !rc; i++) {
        const char *t = ann_geom_tables[i];
        char name[64];
        snprintf(name, sizeof name, "ggi_%s_geom", t);
        if ((rc = guard_trigger(st, name, t, err))) break;
        snprintf(name, sizeof name, "tmi_%s_geom", t);
        if ((rc = guard_trigger(st, name, t, err))) break;
        /* gii_ (guarded) and giu_ (not: a batch never updates a geometry) */
        for (int k = 0; k < 2 && !rc; k++) {
            snprintf(name, sizeof name, "%s_%s_geom", k ? "giu" : "gii", t);
            char *old = trigger_sql(st, name);
            if (!old) continue;     /* no spatial index on this table */
            sqlite3_free(old);
            char *when = k ? sqlite3_mprintf("%s", "") : sqlite3_mprintf(ANN_BATCH_WHEN, t);
            char *make = when ? sqlite3_mprintf(ann_index_trigger, k ? "giu" : "gii", t,
                                                k ? "UPDATE OF geom" : "INSERT", t, when, t, t)
                              : NULL;
            sqlite3_free(when);
            if ((rc = exec_free(st, sqlite3_mprintf("DROP TRIGGER \"%w\"", name), err)) == GA_OK)
                rc = exec_free(st, make, err);
            else sqlite3_free(make);
        }
    }
    if (rc == GA_OK) return ga_store_exec(st, "COMMIT", err);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Schema 1 to 2: mentions are indexed by mention_points (see
 * MENTION_POINTS_SQL) instead of SpatiaLite's per-mention R*Tree, whose
 * triggers DisableSpatialIndex() removes, have no per-row triggers
 * (MENTION_TRIGGERS_SQL), and keep their sentence as offsets. */
static ga_rc upgrade_v1(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_exec(st, "BEGIN IMMEDIATE", err);
    if (rc) return rc;
    int v = 0;
    if ((rc = user_version(st, &v, err)) || v != 1) goto done;   /* another process did it */
    static const char *const steps[] = {
        "SELECT DisableSpatialIndex('mentions', 'geom')",
        "DROP TABLE IF EXISTS idx_mentions_geom",
        MENTION_POINTS_SQL,
        MENTION_TRIGGERS_SQL,
        /* the sentence as offsets into the document (the first place the
         * stored copy, at most GA_ANN_SENTENCE_MAX bytes, occurs) */
        "ALTER TABLE mentions ADD COLUMN sent_start INTEGER",
        "ALTER TABLE mentions ADD COLUMN sent_end INTEGER",
        "UPDATE mentions SET sent_start = nullif(instr(CAST((SELECT text FROM documents d"
        " WHERE d.id = mentions.document_id) AS BLOB), CAST(sentence AS BLOB)), 0) - 1"
        " WHERE sentence IS NOT NULL AND sentence <> ''",
        "UPDATE mentions SET sent_end = sent_start + length(CAST(sentence AS BLOB))"
        " WHERE sent_start IS NOT NULL",
        "ALTER TABLE mentions DROP COLUMN sentence",
        "INSERT INTO mention_points(pkid, xmin, xmax, ymin, ymax)"
        " SELECT place_id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom)"
        " FROM mentions WHERE place_id IS NOT NULL AND geom IS NOT NULL GROUP BY place_id",
        "PRAGMA user_version = 2",
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !rc; i++)
        rc = ga_store_exec(st, steps[i], err);
done:
    if (rc == GA_OK) return ga_store_exec(st, "COMMIT", err);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    ga_err_prefix(err, "cannot upgrade database '%s' to schema version 2", st->path);
    return rc;
}

/* Schema 2 to 3: events stored a second time by grid cell, for region
 * queries (event_cells.c). */
static ga_rc upgrade_v2(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_exec(st, "BEGIN IMMEDIATE", err);
    if (rc) return rc;
    int v = 0;
    if ((rc = user_version(st, &v, err)) || v != 2) goto done;   /* another process did it */
    if (!(rc = ga_store_cells_create(st, err)))
        rc = ga_store_exec(st, "PRAGMA user_version = 3", err);
done:
    if (rc == GA_OK) return ga_store_exec(st, "COMMIT", err);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    ga_err_prefix(err, "cannot upgrade database '%s' to schema version 3", st->path);
    return rc;
}

/* Schema 3 to 6 to 7: event_cells packed by block, in segments, for
 * region queries (event_blocks.c; schema 4 had one blob per block, never
 * released, schema 5 segments whose texts a reader had to walk and whose
 * long texts it always read, schema 6 ("GAB3") a record and every text of
 * each event apart, over twice the bytes: their tables are made again).
 * Needs no SpatiaLite. */
static ga_rc upgrade_v3(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_exec(st, "BEGIN IMMEDIATE", err);
    if (rc) return rc;
    int v = 0;
    if ((rc = user_version(st, &v, err)) || v < 3 || v > 6) goto done;   /* another did it */
    if (!(rc = ga_store_blocks_create(st, err)))
        rc = ga_store_exec(st, "PRAGMA user_version = 7", err);
done:
    if (rc == GA_OK) return ga_store_exec(st, "COMMIT", err);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    ga_err_prefix(err, "cannot upgrade database '%s' to schema version 7", st->path);
    return rc;
}

ga_rc ga_store_open(const char *path, int flags, ga_store **out, ga_err *err)
{
    /* SQLite's memory statistics take a global mutex on every allocation,
     * which annotate's threads would share; geoannot never reads them.
     * Only possible before SQLite initialises (later calls fail, harmless). */
    static int configured;
    if (!configured) {
        configured = 1;
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    }
    *out = NULL;
    ga_store *st = calloc(1, sizeof *st);
    if (!st) return ga_err_set(err, GA_ENOMEM, "out of memory");
    st->path = ga_strdup(path);
    st->flags = flags;
    ga_rc rc = GA_OK;
    /* No serialised connection mutex: a store is used by one thread at a
     * time (ga_store.h), and the mutex otherwise costs a lock and an
     * unlock on every bound value and every column of every row. */
    int oflags = SQLITE_OPEN_NOMUTEX |
                 ((flags & GA_STORE_READONLY) ? SQLITE_OPEN_READONLY
                  : (flags & GA_STORE_CREATE) ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                                              : SQLITE_OPEN_READWRITE);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rc = ga_err_set(err, GA_EINVAL, "cannot open database '%s': it is a directory", path);
        goto done;
    }
    if (!(flags & GA_STORE_CREATE) && access(path, F_OK) != 0) {
        rc = ga_err_set(err, GA_ENOTFOUND, "database '%s' does not exist (create it with "
                        "'geoannot init --db %s')", path, path);
        goto done;
    }
    if (!(flags & GA_STORE_READONLY) && access(path, F_OK) == 0 && !writable(path)) {
        rc = ga_err_set(err, GA_EDB, "cannot write database '%s': it is read-only (no write "
                        "permission on the file or its folder)", path);
        goto done;
    }
    int src = sqlite3_open_v2(path, &st->db, oflags, NULL);
    if (src != SQLITE_OK) {
        rc = ga_err_set(err, GA_EDB, "cannot open database '%s': %s", path,
                        st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src));
        goto done;
    }
    if ((flags & GA_STORE_READONLY) && !writable(path)) {
        /* A reader of a database it may not write (a shared, write-protected
         * file): SQLite cannot create the WAL index beside it, so open the
         * file as immutable, which reads it without any lock or side file. */
        sqlite3_close_v2(st->db);
        st->db = NULL;
        char *uri = sqlite3_mprintf("file:%s?immutable=1", path);
        src = uri ? sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                                              | SQLITE_OPEN_NOMUTEX, NULL)
                  : SQLITE_NOMEM;
        sqlite3_free(uri);
        if (src != SQLITE_OK) {
            rc = ga_err_set(err, GA_EDB, "cannot open database '%s': %s", path,
                            st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src));
            goto done;
        }
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 30000);
    if (!(flags & GA_STORE_PLAIN) && (rc = load_spatialite(st, err))) goto done;
    /* Check that the file really is a database before anything else. */
    int v = 0;
    if ((rc = user_version(st, &v, err)) ||
        (rc = ga_store_exec(st, "SELECT count(*) FROM sqlite_master", err))) {
        int ec = sqlite3_extended_errcode(st->db) & 0xff;
        if (ec == SQLITE_NOTADB || ec == SQLITE_CORRUPT)
            ga_err_set(err, GA_EDB, "cannot open database '%s': not a geoannot database "
                       "(file is not SQLite or is damaged)", path);
        else
            ga_err_set(err, GA_EDB, "cannot open database '%s': %s", path,
                       sqlite3_errmsg(st->db));
        rc = GA_EDB;
        goto done;
    }
    if (!(flags & GA_STORE_READONLY)) {
        if ((rc = ga_store_exec(st, "PRAGMA journal_mode=WAL", err))) goto done;
        ga_store_exec(st, "PRAGMA synchronous=NORMAL", NULL);
    }
    ga_store_exec(st, "PRAGMA foreign_keys=ON", NULL);
    /* statement journals and IN-lists of CHECK constraints stay in memory */
    ga_store_exec(st, "PRAGMA temp_store=MEMORY", NULL);
    if (!(flags & GA_STORE_READONLY) && (rc = apply_size_cap(st, err))) goto done;
    if (flags & GA_STORE_BULK) ga_store_exec(st, "PRAGMA cache_size=-262144", NULL);
    /* Up to 2 GiB mapped (SQLite's default ceiling); a smaller ceiling in
     * this SQLite build silently wins. */
    if (flags & GA_STORE_SCAN) ga_store_exec(st, "PRAGMA mmap_size=2147418112", NULL);
    if (v >= 2 && v <= 6 && (flags & GA_STORE_READONLY) && !writable(path)) {
        /* a reader of a version 2 to 6 file it may not write reads it as
         * it is: without event_cells region queries take the R*Tree path,
         * without event_blocks (or with 4's, 5's or 6's) event_cells */
    } else if ((v >= 1 && v <= 6) && (flags & GA_STORE_READONLY)) {
        /* a reader upgrades the file through a writing connection first,
         * when it may write it */
        ga_store *w = NULL;
        if (!writable(path)) {
            rc = ga_err_set(err, GA_EDB, "database '%s' has schema version 1 and is read-only "
                            "here; open it once with write access to upgrade it", path);
            goto done;
        }
        if ((rc = ga_store_open(path, 0, &w, err))) goto done;
        ga_store_close(w);
        v = GA_SCHEMA_VERSION;
    } else if (v >= 1 && v <= 6) {
        if ((v < 3 && (rc = ga_store_need_spatial(st, err))) ||
            (v == 1 && (rc = upgrade_v1(st, err))) || (v <= 2 && (rc = upgrade_v2(st, err))) ||
            (rc = upgrade_v3(st, err)))
            goto done;
        v = GA_SCHEMA_VERSION;
    } else if (v < GA_SCHEMA_VERSION) {
        if (flags & GA_STORE_READONLY) {
            rc = ga_err_set(err, GA_EDB, "database '%s' is not a geoannot database (schema "
                            "version %d)", path, v);
            goto done;
        }
        if (v != 0) {
            rc = ga_err_set(err, GA_EDB, "database '%s' has unknown schema version %d", path, v);
            goto done;
        }
        if ((rc = create_schema(st, err))) goto done;
        v = GA_SCHEMA_VERSION;
    } else if (v > GA_SCHEMA_VERSION) {
        rc = ga_err_set(err, GA_EDB, "database '%s' has schema version %d, newer than this "
                        "geoannot (%d)", path, v, GA_SCHEMA_VERSION);
        goto done;
    }
    if (!(flags & (GA_STORE_READONLY | GA_STORE_PLAIN)) && (rc = upgrade_ann_triggers(st, err)))
        goto done;
    st->has_cells = v >= 3;
    st->has_blocks = v >= 7;
done:
    if (rc) { ga_store_close(st); return rc; }
    *out = st;
    return GA_OK;
}

void ga_store_close(ga_store *st)
{
    if (!st) return;
    ga_store_ann_release(st);
    sqlite3_finalize(st->cells_clear);
    sqlite3_finalize(st->cells_fill);
    sqlite3_finalize(st->blocks_read);
    sqlite3_finalize(st->blocks_seek);
    sqlite3_finalize(st->blocks_segs);
    ga_query_blocks_release(st);
    if (st->db) sqlite3_close_v2(st->db);
    free(st->path);
    free(st);
}

const char *ga_store_path(const ga_store *st) { return st->path; }

ga_rc ga_store_begin(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_exec(st, "BEGIN IMMEDIATE", err);
    if (rc == GA_OK) st->in_txn = 1;
    return rc;
}

ga_rc ga_store_commit(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_ann_flush(st, err);
    /* the blocks this transaction's event writes marked, and any left
     * marked before: at every commit, or when due (ga_store_blocks_defer) */
    int packed = 0, left = 0;
    double t0 = 0;
    if (rc == GA_OK && st->has_blocks) {
        t0 = ga_now();
        if (!st->blocks_defer || t0 >= st->blocks_due) {
            rc = ga_store_blocks_refresh(st, err);
            packed = 1;
        } else {
            left = 1;
        }
    }
    if (rc == GA_OK) rc = ga_store_exec(st, "COMMIT", err);
    if (rc == GA_OK) {
        st->in_txn = 0;
        if (packed) {
            /* timed with the COMMIT: the blobs' pages are written there,
             * and again by the checkpoint it may run */
            double t1 = ga_now();
            st->blocks_due = t1 + GA_BLOCKS_DEFER_FACTOR * (t1 - t0);
            st->blocks_left = 0;
        }
        if (left) st->blocks_left = 1;
    } else {
        ga_store_rollback(st);
    }
    return rc;
}

void ga_store_blocks_defer(ga_store *st, int on) { st->blocks_defer = on != 0; }

ga_rc ga_store_blocks_settle(ga_store *st, ga_err *err)
{
    if (!st->has_blocks || !st->blocks_left) return GA_OK;
    int defer = st->blocks_defer;
    st->blocks_defer = 0;
    ga_rc rc = ga_store_begin(st, err);
    if (rc == GA_OK) rc = ga_store_commit(st, err);   /* packs every marked block */
    st->blocks_defer = defer;
    return rc;
}

void ga_store_rollback(ga_store *st)
{
    if (st && st->db && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (st) st->in_txn = 0;
    ga_store_ann_abandon(st);
}

ga_rc ga_store_meta_get(ga_store *st, const char *key, char **value, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    *value = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT value FROM meta WHERE key = ?", &s, err);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) *value = ga_strdup((const char *)sqlite3_column_text(s, 0));
    else if (src == SQLITE_DONE) rc = GA_ENOTFOUND;
    else rc = ga_store_fail(st, err, src, "cannot read metadata");
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_store_meta_set(ga_store *st, const char *key, const char *value, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "INSERT INTO meta(key, value) VALUES(?, ?) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", &s, err);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot write metadata");
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_store_gaz_generation(ga_store *st, int64_t *gen, ga_err *err)
{
    char *v = NULL;
    ga_rc rc = ga_store_meta_get(st, "gaz_generation", &v, err);
    *gen = rc == GA_OK ? strtoll(v, NULL, 10) : 0;
    free(v);
    return rc == GA_ENOTFOUND ? GA_OK : rc;
}

ga_rc ga_store_gaz_bump(ga_store *st, ga_err *err)
{
    return ga_store_exec(st, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                         "WHERE key = 'gaz_generation'", err);
}

int ga_store_bulk_journal(ga_store *st, int on)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, on ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL",
                           -1, &s, NULL) != SQLITE_OK)
        return 0;
    int ok = sqlite3_step(s) == SQLITE_ROW &&
             !sqlite3_stricmp((const char *)sqlite3_column_text(s, 0), on ? "delete" : "wal");
    sqlite3_finalize(s);
    return ok;
}
