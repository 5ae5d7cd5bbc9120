/*
 * cli_gaz.h: the gazetteer subcommands that live in files of their own
 * (cmd_gaz_import.c, cmd_gaz_build.c, cmd_gaz_update.c), for the table in cmd_gazetteer.c.
 */
#ifndef GA_CLI_GAZ_H
#define GA_CLI_GAZ_H

#include "cli.h"

int cmd_gaz_import(int, char **, ga_cli *);
extern const char cmd_gaz_import_usage[];
int cmd_gaz_build(int, char **, ga_cli *);
extern const char cmd_gaz_build_usage[];
int cmd_gaz_update(int, char **, ga_cli *);
extern const char cmd_gaz_update_usage[];

#endif
