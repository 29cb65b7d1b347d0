# fish completion for tnos: candidates come from "tnos __complete", which
# reads the same option tables as the parser and --help.
function __tnos_complete
	set -l toks (commandline -opc)
	set -l cur (commandline -ct)
	set -l cmd (basename -- $toks[1])
	if test "$cmd" = tnos
		set -e toks[1]
	else
		set toks[1] $cmd
	end
	for c in (tnos __complete $toks $cur 2>/dev/null)
		switch $c
			case :files
				__fish_complete_path $cur
			case :dirs
				__fish_complete_directories $cur
			case :commands
				__fish_complete_command
			case '*'
				echo $c
		end
	end
end
for c in tnos lsmount statmount fsmount setattr move openat2 statx fhandle walk access
	complete -c $c -f -a '(__tnos_complete)'
end
