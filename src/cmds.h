/* cmds.h - the subcommands, one line each.  tnos.c includes this twice. */
TNOS_CMD(lsmount)
TNOS_CMD(statmount)
TNOS_CMD(openat2)
TNOS_CMD(statx)
TNOS_CMD(fhandle)
TNOS_CMD(fsmount)
TNOS_CMD(setattr)
TNOS_CMD(move)
