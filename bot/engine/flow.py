"""What a side sees next: its next question, what it waits for, or a sign-off request.

Also /continue, /pause and /cancel, which move a person along the guide or stop for now."""

from __future__ import annotations

from bot.engine import callbacks as cb
from bot.engine import intents
from bot.engine.model import Button, Topic
from bot.engine.progress import ProjectProgress, applies, later_questions, next_question, tally
from bot.engine.records import AGREE, AnswerRecord
from bot.engine.render.answers import answer_value
from bot.engine.render.card import card_key, card_version, count_line, recard_kind, signoff_buttons
from bot.engine.render.nudges import signoff_request
from bot.engine.render.questions import phase_intro, question_text, tool_intro
from bot.engine.render.text import esc, g, phase_heading, side_reference
from bot.engine.turn import Scope, Turn
from bot.guide.model import Phase, Question, Side, Tool, other_side


def cmd_continue(turn: Turn) -> None:
    """/continue: the next thing to do in the current project."""
    scope = turn.scope_or_explain()
    if scope is None:
        return
    turn.clear_state()
    resume(turn, scope)
    present_next(turn, scope, with_intro=True)


def continue_in(turn: Turn, scope: Scope) -> None:
    """The "Continue" button: like /continue, in the button's project (which becomes the current one)."""
    turn.clear_state()
    resume(turn, scope)
    if turn.person.current_project_id != scope.project.id and not turn.in_group:
        turn.uow.people.update(turn.person.id, current_project_id=scope.project.id)
    present_next(turn, scope, with_intro=True)


def cmd_pause(turn: Turn) -> None:
    """Stop asking and reminding this person in the current project until they continue."""
    turn.clear_state()
    scope = turn.known.scope()
    if scope is not None and not turn.in_group:
        turn.uow.members.update(scope.side.id, turn.person.id, paused=True)
    turn.say(
        turn.t.gettext(
            "⏸ Pause. Alt er gemt, og jeg sender dig ikke påmindelser. Skriv /continue, når du vil fortsætte."
        )
    )


def cmd_cancel(turn: Turn) -> None:
    turn.clear_state()
    turn.say(turn.t.gettext("Annulleret."))


def typing_scope(turn: Turn, project_id: int | None = None) -> Scope | None:
    """The open project a typed text acts in (`project_id`, the one the chat is in the middle of, or
    the current one); None after telling the person why there is none."""
    scope = turn.known.scope(project_id) if project_id is not None else None
    scope = scope or turn.known.scope(turn.state.project)
    if scope is None:
        turn.clear_state()
        turn.no_project()
        return None
    if scope.project.closed_at is not None:
        present_next(turn, scope)
        return None
    return scope


def resume(turn: Turn, scope: Scope) -> None:
    """Any work in a project ends this person's pause there."""
    if not turn.in_group and turn.known.membership(scope).paused:
        turn.uow.members.update(scope.side.id, turn.person.id, paused=False)


def present_next(turn: Turn, scope: Scope, with_intro: bool = False) -> None:
    """Show what the side should do now: the next question, or what it is waiting for."""
    t = turn.t
    progress = turn.known.refresh(scope.project)
    if scope.project.closed_at is not None:
        turn.say(
            t.gettext(
                "Projektet {project} er afsluttet. I kan stadig læse svarene med /mine, /theirs og /summary."
            ).format(project=esc(scope.project.name))
        )
        return
    outdated = progress.outdated_phases()
    for phase in outdated:
        ask_signoff(turn, scope, progress, phase, outdated=True)
    current = progress.current_phase()
    if current is None:
        if not outdated:
            turn.say(t.gettext("🎉 Alle faser er gennemført og aftalt. Godt arbejde! Se det hele med /summary."))
        return
    answers = progress.view(scope.role).answers
    question = next_question(current, scope.role, answers) or revisited_question(turn, current, answers, scope)
    if question is not None:
        show_question(turn, scope, progress, current, question, with_intro=with_intro)
        return
    later = later_questions(current, scope.role, answers)
    if later and turn.state.seen.left_open != current.id:
        offer_later(turn, scope, current, later)
        return
    waiting(turn, scope, progress, current)


def revisited_question(turn: Turn, phase: Phase, answers: dict[str, AnswerRecord], scope: Scope) -> Question | None:
    """While a side answers the questions it left for later: the next of them (not left again since)."""
    seen = turn.state.seen
    if seen.revisit != phase.id or seen.revisit_since is None:
        return None
    waiting_again = [q for q in later_questions(phase, scope.role, answers) if answers[q.key].id <= seen.revisit_since]
    if not waiting_again:
        turn.remember(revisit=None, revisit_since=None, left_open=phase.id)
        return None
    return waiting_again[0]


def offer_later(turn: Turn, scope: Scope, phase: Phase, later: list[Question]) -> None:
    """Before the sign-off: the questions the side left for later, to answer now or leave open."""
    t = turn.t
    lines = [
        t.ngettext(
            "I har sprunget {count} spørgsmål over i {phase}:",
            "I har sprunget {count} spørgsmål over i {phase}:",
            len(later),
        ).format(count=len(later), phase=phase_heading(t, phase))
    ]
    lines += [f"• {g(t, q.text)}" for q in later[:10]]
    if len(later) > 10:
        lines.append(t.gettext("… og {count} flere").format(count=len(later) - 10))
    lines.append("\n" + t.gettext("Vil I besvare dem nu? Ellers står de som åbne punkter i opsummeringen."))
    pid = scope.project.id
    turn.say(
        "\n".join(lines),
        [
            [
                turn.button(t.gettext("✍️ Besvar dem nu"), intents.LaterChoice(pid, phase.id, "a")),
                turn.button(t.gettext("➡️ Lad dem stå åbne"), intents.LaterChoice(pid, phase.id, "o")),
            ]
        ],
    )


def later_choice(turn: Turn, scope: Scope, phase_id: str | None, choice: str | None) -> None:
    """"Answer them now" (a) or "Leave them open" (o) for the questions left for later."""
    if phase_id is None or not turn.guide.has_phase(phase_id) or choice not in ("a", "o"):
        turn.stale_button()
        return
    if choice == "a":
        answers = turn.known.progress(scope.project).view(scope.role).answers
        newest = max((a.id for a in answers.values()), default=0)
        turn.remember(revisit=phase_id, revisit_since=newest, left_open=None)
    else:
        turn.remember(revisit=None, revisit_since=None, left_open=phase_id)
    present_next(turn, scope)


def show_question(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase, question: Question,
                  with_intro: bool = False, editing: bool = False) -> None:
    """A question with its answer buttons (in a group, typed answers are replies to it)."""
    t = turn.t
    view = progress.view(scope.role)
    tool = turn.guide.tool(question.tool_id)
    own_questions = [q for q in tool.questions_for(scope.role) if applies(q, view.answers)]
    first_in_tool = own_questions and own_questions[0].key == question.key
    if not editing and (with_intro or first_in_tool):
        if question.key == phase.questions_for(scope.role)[0].key:
            turn.say(phase_intro(t, phase, scope.role))
        turn.say(tool_intro(t, phase, tool, scope.role))
    text = question_text(t, phase, question, scope.role, view.answers, scope.project.name)
    current = view.answers.get(question.key)
    if editing:
        shown = answer_value(t, question, current) if current else t.gettext("<i>Ikke besvaret endnu</i>")
        text = t.gettext("✏️ Ret svaret. Nuværende svar: {answer}").format(answer=shown) + "\n\n" + text
    pid = scope.project.id
    ref = cb.question_ref(question.key)
    rows: list[list[Button]] = []
    if question.kind in ("choice", "yes_no"):
        rows.extend([turn.button(g(t, o.label), intents.Choose(pid, ref, o.id))] for o in question.choices())
    elif question.kind == "scale":
        rows.append([turn.button(str(n), intents.Choose(pid, ref, str(n))) for n in range(1, 6)])
    skips = [turn.button(t.gettext("Senere"), intents.Skip(pid, ref, "l"))]
    if not question.decision:  # a decision is taken, never "not relevant"
        skips.insert(0, turn.button(t.gettext("Ikke relevant for os"), intents.Skip(pid, ref, "n")))
    rows.append(skips)
    if stopped_by_other(progress, phase, scope.role):
        text += "\n\n" + t.gettext(
            "{other} har besluttet ikke at gå videre. "
            "I kan springe resten af fasen over og gå direkte til godkendelsen."
        ).format(other=side_reference(t, progress.view(other_side(scope.role)).side))
        rows.append([turn.button(t.gettext("⏭ Direkte til godkendelse"), intents.ToSignoff(pid, phase.id))])
    nav = [
        turn.button(t.gettext("◀ Tilbage"), intents.Back(pid)),
        turn.button(t.gettext("⏸ Pause"), intents.Pause(pid)),
    ]
    if other_has_answers(progress, scope.role, tool):
        nav.append(turn.button(t.gettext("👀 De andres svar"), intents.ShowTheirs(pid, tool.id)))
    rows.append(nav)
    shown_with = current.id if current is not None else None
    turn.remember(project=pid, question=question.key, answer=shown_with)
    topic = Topic(pid, question.key, shown_with)
    typed = question.kind in ("text", "amount", "date")
    if turn.in_group and typed:
        text += "\n\n" + t.gettext("<i>Svar ved at svare på denne besked. /skip springer over, /back går tilbage.</i>")
        turn.say(text, force_reply=True, topic=topic)
        return
    turn.say(text, rows, topic=topic)


def stopped_by_other(progress: ProjectProgress, phase: Phase, role: Side) -> bool:
    """The other side decided not to go on, in this phase: the rest of it need not be answered."""
    other = other_side(role)
    decision = progress.guide.decision_question("go_no_go")
    return (decision is not None and decision.phase_id == phase.id and progress.decision(other, "go_no_go") == "no_go"
            and progress.decision(role, "go_no_go") is None)


def other_has_answers(progress: ProjectProgress, role: Side, tool: Tool) -> bool:
    other = progress.view(other_side(role))
    return any(q.key in other.answers for q in tool.questions)


def waiting(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase) -> None:
    """The side has answered the phase: it waits for the other side, or both sign off."""
    t = turn.t
    if not progress.both_finished(phase):
        counts = tally(phase, scope.role, progress.view(scope.role).answers)
        heading, other = phase_heading(t, phase), side_reference(t, progress.view(other_side(scope.role)).side)
        done = (t.gettext("✅ I har besvaret alle spørgsmål i {phase}.").format(phase=heading) if counts.open == 0
                else t.gettext("✅ I er igennem {phase} ({counts}). I kan svare på de åbne med /todo.").format(
                    phase=heading, counts=count_line(t, counts)))
        turn.say(
            done + " " + t.gettext("Vi venter på {other}. Jeg giver besked, når de er klar.").format(other=other),
            [[turn.button(t.gettext("📋 Vores svar"), intents.ShowMine(scope.project.id))]],
        )
        return
    ask_signoff(turn, scope, progress, phase)


def ask_signoff(turn: Turn, scope: Scope, progress: ProjectProgress, phase: Phase, outdated: bool = False,
                fresh: bool = False) -> None:
    """The summary with the sign-off buttons, unless the side has agreed the answers as they are (or
    has a decision to take first). The card once (`fresh`: again, as the answers are now); then a line."""
    decisions = progress.blocking_decisions(phase, scope.role)
    if decisions:
        turn.say(turn.t.gettext("Før I kan godkende {phase}, skal I træffe jeres beslutning.").format(
            phase=phase_heading(turn.t, phase)))
        show_question(turn, scope, progress, phase, decisions[0])
        return
    signoffs = list(turn.uow.signoffs.of_phase(scope.project.id, phase.id))
    latest = progress.latest_signoffs(signoffs, phase.id).get(scope.side.id)
    current = progress.revision_ids(phase)
    if latest is not None and latest.verdict == AGREE and tuple(sorted(latest.revision_ids)) == current:
        turn.say(
            turn.t.gettext("I har godkendt {phase}. Vi venter på, at {other} også godkender.").format(
                phase=phase_heading(turn.t, phase),
                other=side_reference(turn.t, progress.view(other_side(scope.role)).side),
            )
        )
        return
    t = turn.t
    version = card_version(progress, phase)
    agreement = progress.agreement(phase.id)
    outdated = outdated or (agreement is not None and progress.is_outdated(agreement))
    if not fresh and card_seen(turn, scope, phase, version if outdated else ""):  # the card once, then a line
        turn.say(t.gettext("⏳ {phase} venter på, at I tager stilling.").format(phase=phase_heading(t, phase)),
                 signoff_buttons(t, scope.project.id, phase, version, web=turn.services.links.web_served))
        return
    text, buttons = signoff_request(t, scope.project, progress, phase, signoffs, turn.known.names(signoffs), outdated,
                                    turn.services.links.web_served)
    turn.say(text, buttons)
    turn.remember(card=f"{phase.id}:{version}")
    for chat in {turn.inp.chat.id, turn.person.private_chat} - {None}:  # shown: not sent again after an edit
        turn.uow.outbox.withdraw(card_key(scope.project.id, phase.id, str(chat)), recard_kind(phase))


def card_seen(turn: Turn, scope: Scope, phase: Phase, version: str = "") -> bool:
    """This person was shown (or sent) the phase's card already (this `version` of it, if given):
    here, in their private chat, or in the team group they read."""
    if (turn.state.seen.card or "").startswith(f"{phase.id}:{version}"):
        return True
    chats = {turn.inp.chat.id}
    if turn.person.private_chat:
        chats.add(turn.person.private_chat)
    if scope.side.group_chat and turn.known.membership(scope).in_group:
        chats.add(scope.side.group_chat)
    return any(turn.uow.outbox.has(card_key(scope.project.id, phase.id, chat, version)) for chat in sorted(chats))
