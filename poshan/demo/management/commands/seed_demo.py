from django.core.management.base import BaseCommand

from anganwadi.equipment.demo import seed_equipment_and_allowance
from poshan.demo import people, world
from poshan.demo import scale as scale_world
from poshan.supervision.demo import seed_supervision
from thr_frs.demo import seed_thr as thr_seed


class Command(BaseCommand):
    help = (
        "Build the demo world (1 state, 2 districts, 4 projects, 8 sectors, 40 AWCs, one user per role) "
        "and print the demo logins. --if-empty skips building when it exists. --scale builds a large "
        "benchmark world instead (see --awcs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="only build when there is no demo world yet")
        parser.add_argument("--scale", action="store_true", help="build a benchmark world with bulk inserts")
        parser.add_argument("--awcs", type=int, default=2000, help="number of AWCs for --scale (default 2000)")
        parser.add_argument("--children-per-awc", type=int, default=scale_world.CHILDREN_PER_AWC)
        parser.add_argument("--women-per-awc", type=int, default=scale_world.WOMEN_PER_AWC)

    def handle(self, *args, if_empty=False, scale=False, awcs=2000, children_per_awc=scale_world.CHILDREN_PER_AWC,
               women_per_awc=scale_world.WOMEN_PER_AWC, **options):
        if scale:
            counts = scale_world.build(awcs=awcs, children_per_awc=children_per_awc, women_per_awc=women_per_awc,
                                       progress=lambda line: self.stdout.write(line))
            self.stdout.write(self.style.SUCCESS("Scale world built: " + ", ".join(f"{k} {v}" for k, v in counts.items())))
            return
        if if_empty and world.world_exists():
            self.stdout.write("Demo world already present.")
        else:
            awc_list = world.build_locations()
            world.build_users(awc_list)
            world.build_training()
            world.build_grievances()
            registered = people.build_people(awc_list)
            world.build_growth(awc_list)  # growth: measurements for the children just registered
            thr_seed(awc_list)  # THR: stock and this month's hand-overs (needs the demo people)
            seed_equipment_and_allowance(awc_list)  # equipment: devices, buildings, allowance claims
            world.build_services_and_figures(awc_list)  # centre days, attendance, flagging, dashboard figures
            seed_supervision(awc_list)  # the supervisor's visits and VHSNDs, alert mobiles, today's alerts
            self.stdout.write(self.style.SUCCESS(
                f"Demo world built: {len(awc_list)} AWCs, {len(registered)} people registered."))
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {world.DEMO_PASSWORD}):")
        for login in world.demo_logins():
            self.stdout.write(f"  {login.username:<16} {login.role:<28} {login.place}")
