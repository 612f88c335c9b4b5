# bench/rounds.bash: the paired rounds of bench/replay.sh and bench/verify.sh
# (source it). A program is timed next to its baseline in each round, and
# with BASE set (the same program of an earlier build) next to that too,
# old and new in alternating order, so that a change is judged against its
# baseline in the same rounds. Needs N (events per run) and W (a scratch
# directory; the programs' stderr goes to $W/run.log).

# timed CMD...: runs it (stdout to /dev/null); sets T (wall seconds from
# launch to exit), CPU (user + system seconds, from bash's time) and RC
# (its exit status).
timed() {
    local t0 out
    t0=$(date +%s.%N)
    out=$( { TIMEFORMAT='%U %S'; time "$@" >/dev/null 2>>"$W/run.log" || echo "rc $?" >&2; } 2>&1 )
    T=$(echo "$(date +%s.%N) - $t0" | bc)
    CPU=$(echo "$out" | awk '$1 != "rc" { printf "%.2f", $1 + $2 }')
    RC=$(echo "$out" | awk '$1 == "rc" { print $2; f = 1 } END { if (!f) print 0 }')
}

rate() { echo "scale=0; $N / $1" | bc; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

# paired_rounds ROUNDS BASELINE_NAME BASELINE_FN NAME RUN_FN NEW [BASE]: each
# round runs BASELINE_FN, then RUN_FN NEW (and RUN_FN BASE), each of which
# sets T and CPU; prints a line per round (rates, CPU, the baseline/NAME
# ratio, the load) and the medians.
paired_rounds() {
    local rounds=$1 bname=$2 bfn=$3 name=$4 fn=$5 new=$6 base=${7:-}
    local r tk ck tr cr tb cb
    local k_rates=() r_rates=() ratios=() b_rates=() nb_ratios=()
    for r in $(seq "$rounds"); do
        "$bfn"
        tk=$T ck=$CPU
        if [ -n "$base" ] && [ $((r % 2)) -eq 1 ]; then "$fn" "$base"; tb=$T cb=$CPU; fi
        "$fn" "$new"
        tr=$T cr=$CPU
        if [ -n "$base" ] && [ $((r % 2)) -eq 0 ]; then "$fn" "$base"; tb=$T cb=$CPU; fi
        k_rates+=("$(rate "$tk")") r_rates+=("$(rate "$tr")")
        ratios+=("$(echo "scale=3; $tk / $tr" | bc)")
        printf 'round %d: %s %.2f s = %s events/s (CPU %s s); %s %.2f s = %s events/s (CPU %s s); ratio %s' \
            "$r" "$bname" "$tk" "${k_rates[-1]}" "$ck" "$name" "$tr" "${r_rates[-1]}" "$cr" \
            "${ratios[-1]}"
        if [ -n "$base" ]; then
            b_rates+=("$(rate "$tb")") nb_ratios+=("$(echo "scale=3; $tb / $tr" | bc)")
            printf '; base %.2f s = %s events/s (CPU %s s), ratio %s, new/base %s' "$tb" \
                "${b_rates[-1]}" "$cb" "$(echo "scale=3; $tk / $tb" | bc)" "${nb_ratios[-1]}"
        fi
        printf ' (load %s)\n' "$(cut -d' ' -f1 /proc/loadavg)"
    done
    printf 'median of %d rounds: %s %s events/s, %s %s events/s, ratio (paired) %s (goal: >= 300000 events/s and ratio >= 1)\n' \
        "$rounds" "$bname" "$(median "${k_rates[@]}")" "$name" "$(median "${r_rates[@]}")" \
        "$(median "${ratios[@]}")"
    [ -z "$base" ] || printf 'base: median %s events/s; new/base (paired) %s\n' \
        "$(median "${b_rates[@]}")" "$(median "${nb_ratios[@]}")"
}
