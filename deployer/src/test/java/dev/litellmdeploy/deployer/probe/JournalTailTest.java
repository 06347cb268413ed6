package dev.litellmdeploy.deployer.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JournalTailTest {
    @Test
    void theTailStartsAtTheLastStartAndLeavesOutLitellmsBanner() {
        String journal = "INFO: old release line\nStarted litellm.service - LiteLLM proxy.\nINFO:     Started server process [3397]\n"
                + "   ██╗     ██╗████████╗\n   ╚══════╝╚═╝   ╚═╝\n\u001b[1;37m#------------------------------------------------------------#\u001b[0m\n"
                + "\u001b[1;37m#            'The thing I wish you improved is...'            #\u001b[0m\n"
                + "Traceback (most recent call last):\nValueError: two keys\nlitellm.service: Main process exited, code=exited, status=1/FAILURE\n";
        assertEquals("Started litellm.service - LiteLLM proxy.\nINFO:     Started server process [3397]\nTraceback (most recent call last):\n"
                + "ValueError: two keys\nlitellm.service: Main process exited, code=exited, status=1/FAILURE", JournalTail.ofLastStart(journal, 25));
        assertEquals("ValueError: two keys\nlitellm.service: Main process exited, code=exited, status=1/FAILURE",
                JournalTail.ofLastStart(journal, 2));
    }

    @Test
    void theFramesOfARecursiveTracebackAreGivenOnce() {
        String frame = "  File \"/x/routing.py\", line 257, in merged_lifespan\n    async with original_context(app):\n";
        String journal = "Started litellm.service.\nTraceback (most recent call last):\n" + frame.repeat(40) + "ValueError: two keys\n";
        assertEquals("Started litellm.service.\nTraceback (most recent call last):\n" + frame + "ValueError: two keys",
                JournalTail.ofLastStart(journal, 25));
    }
}
