/* cmds.h - the subcommands, one line each.  tnos.c includes this twice. */
TNOS_CMD(lsmount)
TNOS_CMD(statmount)
TNOS_CMD(walk)
