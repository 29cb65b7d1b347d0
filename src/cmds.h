/* cmds.h - the subcommands, one line each.  tnos.c includes this; the
 * Makefile reads the TNOS_CMD lines for the links it installs (a command,
 * a man page and a completion link per subcommand).  TNOS_CMD_NOLINK: a
 * subcommand whose name is a system tool's (umount(8), rename(1), xattr(1)
 * of python3-xattr): no links,
 * so installing tnos never shadows it. */
TNOS_CMD(lsmount)
TNOS_CMD(statmount)
TNOS_CMD(openat2)
TNOS_CMD(statx)
TNOS_CMD(fhandle)
TNOS_CMD_NOLINK(rename)
TNOS_CMD(fsmount)
TNOS_CMD(setattr)
TNOS_CMD(move)
TNOS_CMD_NOLINK(umount)
TNOS_CMD(walk)
TNOS_CMD(access)
TNOS_CMD_NOLINK(xattr)
